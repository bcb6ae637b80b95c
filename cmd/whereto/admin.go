package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// bbolt lets one process open the database, so while 'whereto serve' runs,
// 'whereto directory backup' asks serve for the copy. serve writes a small
// file beside the database (mode 0600) naming its HTTP address and a random
// token, made afresh at each start and removed at shutdown; the command
// reads it, and serve's handler answers only requests from loopback that
// carry the token.

// adminFile is what serve leaves beside the database for local commands.
type adminFile struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
}

func adminPath(dbPath string) string { return dbPath + ".admin" }

// newAdminToken returns a random token for one run of serve.
func newAdminToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// writeAdminFile records addr and token beside the database.
func writeAdminFile(dbPath, addr, token string) error {
	data, err := json.Marshal(adminFile{Addr: addr, Token: token})
	if err != nil {
		return err
	}
	return os.WriteFile(adminPath(dbPath), data, 0o600)
}

// removeAdminFile deletes the file at shutdown.
func removeAdminFile(dbPath string) error {
	err := os.Remove(adminPath(dbPath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// adminHandlers serves GET /admin/backup, a consistent copy of the
// database streamed from one read transaction, and GET /admin/stats?from=
// DAY&to=DAY, the anonymous counts as JSON rows.
func adminHandlers(st *bolt.Store, token string) map[string]http.Handler {
	return map[string]http.Handler{
		"GET /admin/stats": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !fromLoopback(r) || !tokenOK(r, token) {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			rows, err := st.Stats(r.Context(), r.URL.Query().Get("from"), r.URL.Query().Get("to"))
			if err != nil {
				http.Error(w, "could not read the counts", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(rows)
		}),
		"GET /admin/backup": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !fromLoopback(r) || !tokenOK(r, token) {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "application/octet-stream")
			// Errors after the first byte can only cut the stream short;
			// the client checks the copy opens before keeping it.
			_, _ = st.Backup(r.Context(), w)
		}),
	}
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func tokenOK(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// askServe makes an admin request to the running serve for the database
// at dbPath. The caller closes the response body.
func askServe(ctx context.Context, dbPath, pathAndQuery string) (*http.Response, error) {
	data, err := os.ReadFile(adminPath(dbPath))
	if err != nil {
		return nil, fmt.Errorf("%s is in use, and no running 'whereto serve' answers for it (%v)", dbPath, err)
	}
	var af adminFile
	if err := json.Unmarshal(data, &af); err != nil || af.Addr == "" || af.Token == "" {
		return nil, fmt.Errorf("%s is unreadable; is 'whereto serve' running?", adminPath(dbPath))
	}
	host, port, err := net.SplitHostPort(af.Addr)
	if err != nil {
		return nil, fmt.Errorf("serve's address %q: %w", af.Addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // serve listens on every address: use loopback
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+pathAndQuery, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+af.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking 'whereto serve': %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("'whereto serve' refused: %s", resp.Status)
	}
	return resp, nil
}

// statsThroughServe asks the running serve for the counts.
func statsThroughServe(ctx context.Context, dbPath, from, to string) ([]directory.StatRow, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := askServe(ctx, dbPath, "/admin/stats?"+url.Values{"from": {from}, "to": {to}}.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var rows []directory.StatRow
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&rows); err != nil {
		return nil, fmt.Errorf("reading the counts from 'whereto serve': %w", err)
	}
	return rows, nil
}

// backupThroughServe asks the running serve for a copy of the database.
func backupThroughServe(ctx context.Context, dbPath, path string, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	resp, err := askServe(ctx, dbPath, "/admin/backup")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	n, err := writeFileAtomic(path, func(w io.Writer) (int64, error) { return io.Copy(w, resp.Body) })
	if err != nil {
		return err
	}
	check, err := bolt.Open(path, &bolt.Options{ReadOnly: true})
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("the copy from 'whereto serve' does not open (%v); removed it", err)
	}
	_ = check.Close()
	fmt.Fprintf(stdout, "backed up %s through the running 'whereto serve' to %s (%d bytes)\n", dbPath, path, n)
	return nil
}
