package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// LogIDs turns conversation keys (a session key, a chat id) into ids for
// log lines: a keyed hash (HMAC-SHA-256 under a random key drawn by
// NewLogIDs), stable while the process runs so that one conversation's
// lines can be followed, and not reversible to the key, even by trying
// every chat id. Each LogIDs has its own key, so ids from two of them do
// not match. It never changes after NewLogIDs and is safe for concurrent
// use; the zero value is not usable.
type LogIDs struct {
	key []byte
}

// NewLogIDs returns LogIDs with a fresh random key.
func NewLogIDs() LogIDs {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails on supported platforms.
	return LogIDs{key: key}
}

// ID returns the log id of key: 16 hexadecimal digits.
func (l LogIDs) ID(key string) string {
	h := hmac.New(sha256.New, l.key)
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil)[:8])
}
