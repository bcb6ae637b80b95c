package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// Environment of the child process of TestKill9MidBurst.
const (
	envChildDB       = "WHERETO_TELEGRAM_TEST_CHILD_DB"
	envChildEndpoint = "WHERETO_TELEGRAM_TEST_CHILD_ENDPOINT"
)

// TestKillChild is the bot process that TestKill9MidBurst kills. It does
// nothing unless run as that child.
func TestKillChild(t *testing.T) {
	path, endpoint := os.Getenv(envChildDB), os.Getenv(envChildEndpoint)
	if path == "" {
		t.Skip("only run as the child of TestKill9MidBurst")
	}
	store, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := telegram.Config{
		Token: testToken, Endpoint: endpoint,
		Logger:     slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		GlobalRate: -1, PerChatRate: -1, PollTimeout: 2 * time.Second,
	}
	b, err := telegram.New(context.Background(), cfg, newRunner(t, nil), store)
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Run(context.Background()) // until killed
}

// TestKill9MidBurst kills the bot's process (SIGKILL: no shutdown code
// runs) at random points of a burst of 10,000 updates, ten times, starting
// a new process on the same database after each kill, then lets a last
// bot finish. No update may be lost: every chat's last message is
// answered. The kill lands while sends are in flight (the fake holds
// every send past a random count until the process dies); an answer whose
// job had not left the inbox is given again after the restart: that is
// the one window the design leaves open (at least once), and the test
// reports the number of repeats.
func TestKill9MidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	api := newFakeAPI(t)
	api.light = true // keeps the first 160 bytes of each text: enough to tell answers apart
	path := filepath.Join(t.TempDir(), "whereto.db")
	const chats, kills = 2500, 10
	cmds := []string{"/help", "/about", "/start", "/emergency"}
	for _, cmd := range cmds {
		for c := range chats {
			api.text(int64(1000+c), cmd)
		}
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("10,000 updates from %d chats; kill points from seed %d", chats, seed)

	// repeats after each kill: answers given twice in a row so far.
	var repeats []int
	for k := range kills {
		repeats = append(repeats, countRepeats(api, chats))
		// Every chat not yet answered its last command needs one more
		// send at least, so a kill point within that many is reached.
		unanswered := 0
		for c := range chats {
			if !answeredLast(api.sentTo(int64(1000 + c))) {
				unanswered++
			}
		}
		if unanswered == 0 {
			t.Logf("everything answered after %d kills", k)
			break
		}
		before := len(api.allSent())
		target := before + 1 + rng.IntN(min(unanswered, 1500))
		api.holdAfter(t, target)
		killChild(t, api, path, target)
		t.Logf("kill %d: at %d sends (%d before), %d chats still to answer", k+1, len(api.allSent()), before, unanswered)
	}
	api.mu.Lock()
	api.holdSends = nil
	api.mu.Unlock()

	store, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatalf("reopening the killed bot's database: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	h := newHarness(t, options{api: api, store: store})
	h.awaitHandledWithin(api.nextUpdateID(), 3*time.Minute)
	// Stopping drains the bot: nothing can be sent after it returns.
	if err := h.stop(); err != nil {
		t.Fatalf("last Run: %v", err)
	}
	lost, repeated := checkAnswered(t, api, chats, cmds)
	repeats = append(repeats, repeated)
	most := 0
	for i := 1; i < len(repeats); i++ {
		most = max(most, repeats[i]-repeats[i-1])
	}
	t.Logf("after %d kills: %d chats lost an answer, %d answers repeated (in flight at a kill), at most %d after one kill; %d messages sent in all", kills, lost, repeated, most, len(api.allSent()))
	// A chat's next job waits for the last to leave the inbox, so each
	// kill can repeat at most one answer per chat.
	if repeated > kills*chats {
		t.Errorf("%d answers repeated: more than one a chat a kill", repeated)
	}
}

// countRepeats counts the answers given twice in a row to chats 1000 on
// (see checkAnswered), without judging anything else.
func countRepeats(api *fakeAPI, chats int) int {
	kinds := answerKinds()
	byChat := api.sentByChat()
	n := 0
	for c := range chats {
		prev := ""
		for _, m := range byChat[int64(1000+c)] {
			for prefix, cmd := range kinds {
				if strings.HasPrefix(withoutMergedNote(m.Text), prefix) {
					if cmd == prev {
						n++
					}
					prev = cmd
				}
			}
		}
	}
	return n
}

// answeredLast reports whether msgs include the answer to /emergency, the
// last command of TestKill9MidBurst.
func answeredLast(msgs []sent) bool {
	for _, m := range msgs {
		if strings.HasPrefix(withoutMergedNote(m.Text), "Call 999 now.") {
			return true
		}
	}
	return false
}

// killChild starts the bot as a child process on path and kills it
// (SIGKILL) once the fake has taken target sends.
func killChild(t *testing.T, api *fakeAPI, path string, target int) {
	t.Helper()
	var childOut bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
	cmd.Env = append(os.Environ(), envChildDB+"="+path, envChildEndpoint+"="+api.endpoint())
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	api.await(t, "the child to reach the kill point", 60*time.Second, func() bool { return len(api.allSent()) >= target })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if strings.Contains(childOut.String(), testToken) || strings.Contains(childOut.String(), "TESTtokenSECRET") {
		t.Error("the child's output contains the token")
	}
}
