package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// KeySize is the length of the key that seals conversation ids.
const KeySize = 32

// Errors from opening a conversation token.
var (
	// errForged: the token is not one this service made (wrong length,
	// not base64, or its seal does not match): refused.
	errForged = errors.New("web: conversation token not valid")
	// errExpired: a genuine token past its expiry: the conversation has
	// ended and a new one begins.
	errExpired = errors.New("web: conversation token expired")
)

// Token layout, before base64url: the 16-byte conversation id, the expiry
// in Unix seconds (8 bytes, big-endian), and the first 16 bytes of
// HMAC-SHA256(key, id || expiry).
const (
	idLen    = 16
	macLen   = 16
	tokenLen = idLen + 8 + macLen
)

// convID is a conversation's random id.
type convID [idLen]byte

// String is the id as the runner's conversation name: 32 hex digits.
func (id convID) String() string { return hex.EncodeToString(id[:]) }

// newID returns a random id. crypto/rand.Read never fails on supported
// platforms.
func newID() convID {
	var id convID
	_, _ = rand.Read(id[:])
	return id
}

// sealer makes and opens conversation tokens with one key.
type sealer struct{ key []byte }

// seal returns the token for id, valid until expires.
func (s sealer) seal(id convID, expires time.Time) string {
	var b [tokenLen]byte
	copy(b[:idLen], id[:])
	binary.BigEndian.PutUint64(b[idLen:idLen+8], uint64(expires.Unix()))
	copy(b[idLen+8:], s.mac(b[:idLen+8]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// open returns the id sealed in tok. It returns errForged if tok is not a
// token made with this key, and the id with errExpired if it expired
// before now.
func (s sealer) open(tok string, now time.Time) (convID, error) {
	var id convID
	if base64.RawURLEncoding.EncodedLen(tokenLen) != len(tok) {
		return id, errForged
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenLen {
		return id, errForged
	}
	if !hmac.Equal(b[idLen+8:], s.mac(b[:idLen+8])) {
		return id, errForged
	}
	copy(id[:], b[:idLen])
	exp := int64(binary.BigEndian.Uint64(b[idLen : idLen+8]))
	if now.Unix() >= exp {
		return id, errExpired
	}
	return id, nil
}

func (s sealer) mac(b []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write(b)
	return h.Sum(nil)[:macLen]
}

// NewKey returns a random key for Config.Key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k)
	return k
}

// KeySetting is the store setting that keeps the key across restarts.
const KeySetting = "web-conversation-key"

// KeyStore keeps settings; *bolt.Store is one.
type KeyStore interface {
	Setting(ctx context.Context, name string) ([]byte, bool, error)
	SetSetting(ctx context.Context, name string, value []byte) error
}

// LoadKey returns the key kept in s under KeySetting, making and keeping
// a new one the first time (or if the one kept is too short), so that
// conversations in progress survive a restart.
func LoadKey(ctx context.Context, s KeyStore) ([]byte, error) {
	k, ok, err := s.Setting(ctx, KeySetting)
	if err != nil {
		return nil, fmt.Errorf("web: reading the conversation key: %w", err)
	}
	if ok && len(k) >= KeySize {
		return k, nil
	}
	k = NewKey()
	if err := s.SetSetting(ctx, KeySetting, k); err != nil {
		return nil, fmt.Errorf("web: keeping the conversation key: %w", err)
	}
	return k, nil
}
