package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// servingWriter passes log lines to w and sends the address of the first
// "serving" line on addr.
type servingWriter struct {
	w    io.Writer
	addr chan string
	once sync.Once
}

func (s *servingWriter) Write(p []byte) (int, error) {
	if i := strings.Index(string(p), `"msg":"serving"`); i >= 0 {
		var line struct{ Addr string }
		if json.Unmarshal(p, &line) == nil {
			s.once.Do(func() { s.addr <- line.Addr })
		}
	}
	return s.w.Write(p)
}

// waitReady polls base/readyz until it answers 200.
func waitReady(base string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within %v (last error %v)", timeout, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkServeStartToReady measures an idle 'whereto serve' (no channel)
// in-process: from the call to the first 200 from /readyz, on a database
// that already exists. Target: under 300 ms.
func BenchmarkServeStartToReady(b *testing.B) {
	db := filepath.Join(b.TempDir(), "whereto.db")
	seedStats(b, db, nil) // create and seed it once, outside the timing
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		w := &servingWriter{w: io.Discard, addr: make(chan string, 1)}
		done := make(chan error, 1)
		begin := time.Now()
		go func() {
			done <- serve(ctx, []string{"-db", db, "--http-addr", "127.0.0.1:0"}, envOf(nil), io.Discard, w, buildChannels)
		}()
		var addr string
		select {
		case addr = <-w.addr:
		case err := <-done:
			b.Fatalf("serve: %v", err)
		}
		if err := waitReady("http://"+addr, 10*time.Second); err != nil {
			b.Fatal(err)
		}
		total += time.Since(begin)
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatalf("serve: %v", err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-ready")
}

// BenchmarkServeIdleProcess builds the whereto binary, starts 'whereto
// serve' with no channel as a process on a loopback port, and reports the
// time from exec to the first 200 from /readyz and the resident memory
// (VmRSS) once ready and after a second idle. Targets: under 300 ms and
// under 30 MB. Linux only (it reads /proc).
func BenchmarkServeIdleProcess(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/PID/status")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("go command not found")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "whereto")
	build := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "whereto.db")
	seedStats(b, db, nil)

	var ready time.Duration
	var rssReady, rssIdle float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "serve", "-db", db, "--http-addr", "127.0.0.1:0")
		cmd.Env = []string{"HOME=" + dir} // no channel, nothing from this environment
		stderr, err := cmd.StderrPipe()
		if err != nil {
			b.Fatal(err)
		}
		begin := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		addr := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				var line struct{ Msg, Addr string }
				if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
					addr <- line.Addr
				}
			}
		}()
		var a string
		select {
		case a = <-addr:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			b.Fatal("whereto serve did not log \"serving\" within 10s")
		}
		if err := waitReady("http://"+a, 10*time.Second); err != nil {
			_ = cmd.Process.Kill()
			b.Fatal(err)
		}
		ready += time.Since(begin)
		b.StopTimer()
		rssReady += vmRSS(b, cmd.Process.Pid)
		time.Sleep(time.Second)
		rssIdle += vmRSS(b, cmd.Process.Pid)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			b.Fatalf("whereto serve after SIGTERM: %v", err)
		}
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(ready.Microseconds())/1000/n, "ms-to-ready")
	b.ReportMetric(rssReady/n, "MB-RSS-ready")
	b.ReportMetric(rssIdle/n, "MB-RSS-idle")
}

// vmRSS returns the resident memory of process pid in MB (2^20 bytes).
func vmRSS(b *testing.B, pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// BenchmarkSessionMemory puts N conversations (one message each, so one
// session each) through the runner into the bbolt store and reports the
// live heap per session while the sessions sit in the store's write-behind
// buffer (the worst case: all N written within one flush interval), the
// heap per session once flushed, and the database file's growth per
// session. Target: under 1 KB per session.
func BenchmarkSessionMemory(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var buffered, flushed, disk float64
			for i := 0; i < b.N; i++ {
				bb, fb, db := sessionMemory(b, n)
				buffered += bb
				flushed += fb
				disk += db
			}
			k := float64(b.N)
			b.ReportMetric(buffered/k, "heap-B/session-buffered")
			b.ReportMetric(flushed/k, "heap-B/session-flushed")
			b.ReportMetric(disk/k, "file-B/session")
		})
	}
}

func sessionMemory(b *testing.B, n int) (buffered, flushed, disk float64) {
	b.StopTimer()
	path := filepath.Join(b.TempDir(), "whereto.db")
	// A flush interval longer than the run keeps every session buffered
	// until the explicit Flush.
	st, err := bolt.Open(path, &bolt.Options{FlushInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := bot.NewRunner(st, st)
	r.Counter = st
	ctx := context.Background()
	fileBefore := fileSize(b, path)
	heapBefore := liveHeap()
	b.StartTimer()
	for i := range n {
		if _, err := r.Handle(ctx, bot.Message{Channel: "telegram", Conversation: strconv.Itoa(100000000 + i), Text: "4"}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	buffered = float64(liveHeap()-heapBefore) / float64(n)
	if err := st.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	flushed = float64(liveHeap()-heapBefore) / float64(n)
	disk = float64(fileSize(b, path)-fileBefore) / float64(n)
	runtime.KeepAlive(r)
	b.StartTimer()
	return buffered, flushed, disk
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}
