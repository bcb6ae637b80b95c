package slack

import (
	"context"
	"sync"
)

// pool runs work after acknowledgements with at most a fixed number of
// goroutines at a time. It never queues: when every slot is taken, go
// reports false and the caller answers "busy" (or lets Slack retry), which
// keeps memory and outbound calls bounded under a burst. Safe for
// concurrent use.
type pool struct {
	sem chan struct{}

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func newPool(size int) *pool { return &pool{sem: make(chan struct{}, size)} }

// reserve takes a slot, reporting false if none is free or the pool is
// closed. A reserved slot must be passed to run or given back with release.
func (p *pool) reserve() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.sem <- struct{}{}:
		p.wg.Add(1)
		return true
	default:
		return false
	}
}

// release gives back a reserved slot without using it.
func (p *pool) release() {
	<-p.sem
	p.wg.Done()
}

// run runs fn in a goroutine on a reserved slot, giving the slot back when
// fn returns.
func (p *pool) run(ctx context.Context, fn func(context.Context)) {
	go func() {
		defer p.release()
		fn(ctx)
	}()
}

// goTry reserves a slot and runs fn on it; false if none was free.
func (p *pool) goTry(ctx context.Context, fn func(context.Context)) bool {
	if !p.reserve() {
		return false
	}
	p.run(ctx, fn)
	return true
}

// close stops taking work and waits until running work finishes or ctx is
// done.
func (p *pool) close(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
