package bot

import (
	"bytes"
	"context"
	"sync"
	"time"
)

// MemorySessions keeps sessions in memory only, for the terminal chat,
// where nothing needs to outlive the process. The zero value is ready to
// use; it is safe for concurrent use.
type MemorySessions struct {
	mu sync.Mutex
	m  map[string]memorySession
}

type memorySession struct {
	data    []byte
	expires time.Time
}

// Session returns a copy of key's data, or false if absent or expired.
func (s *MemorySessions) Session(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok || !now.Before(v.expires) {
		return nil, false, nil
	}
	return bytes.Clone(v.data), true, nil
}

// PutSession stores a copy of data for key until expires.
func (s *MemorySessions) PutSession(ctx context.Context, key string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]memorySession{}
	}
	s.m[key] = memorySession{data: bytes.Clone(data), expires: expires}
	return nil
}

// DeleteSession removes key.
func (s *MemorySessions) DeleteSession(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}
