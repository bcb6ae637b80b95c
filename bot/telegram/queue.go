package telegram

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/whereto-bot/whereto/bot"
)

// MaxQueued is the most messages of one chat waiting behind the one being
// answered. A chat that sends faster than it can be answered (Telegram
// lets a bot send about one message a second to a chat) has its waiting
// messages merged: only the last is answered (or one that may be about
// danger), and the answer says so once.
const MaxQueued = 3

// job is what one answer answers: an update, or several of one chat
// merged into one.
type job struct {
	in inbound
	// ids are the updates the job answers: in.update and any merged into
	// it. They leave the inbox together once the job is answered.
	ids []int64
	// merged says which of several messages in is (bot.NotMerged if one).
	merged bot.Merge
	// urgent: the message may be about danger (flows.Urgent).
	urgent bool
	// callbacks are the button presses merged away: their spinners are
	// stopped, and nothing else is done for them.
	callbacks []string
	// msgs are the person's messages merged away (id, date): /forget
	// deletes them with the rest.
	msgs [][2]int64
}

// forget reports whether the job is /forget, which is never merged with
// other messages: it is answered on its own, in its place.
func (j *job) forget() bool {
	if j.in.kind != kindText {
		return false
	}
	cmd, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(j.in.text)), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return cmd == "/forget"
}

// merge folds the jobs of one chat, oldest first, into one: the last that
// may be about danger, or else the last. A /forget among them is the
// caller's to keep apart (see runs).
func merge(jobs []*job) *job {
	if len(jobs) == 1 {
		return jobs[0]
	}
	pick := len(jobs) - 1
	for i := len(jobs) - 1; i >= 0; i-- {
		if jobs[i].urgent {
			pick = i
			break
		}
	}
	out := *jobs[pick]
	out.ids, out.callbacks, out.msgs = nil, nil, nil
	for i, j := range jobs {
		out.ids = append(out.ids, j.ids...)
		out.callbacks = append(out.callbacks, j.callbacks...)
		out.msgs = append(out.msgs, j.msgs...)
		if i == pick {
			continue
		}
		if j.in.callbackID != "" {
			out.callbacks = append(out.callbacks, j.in.callbackID)
		}
		if j.in.msgID != 0 {
			out.msgs = append(out.msgs, [2]int64{int64(j.in.msgID), j.in.date})
		}
	}
	switch {
	case pick < len(jobs)-1:
		out.merged = bot.MergedUrgent
	case jobs[pick].merged == bot.MergedUrgent:
		// An earlier merge kept a message about danger; it still is.
	default:
		out.merged = bot.MergedLast
	}
	return &out
}

// runs splits a chat's waiting jobs at each /forget and merges each part:
// messages before a /forget are answered (merged) before it, and
// consecutive /forgets are one. At most 2n+1 jobs remain for n /forget
// runs; with none, one.
func runs(jobs []*job) []*job {
	var out, cur []*job
	flush := func() {
		if len(cur) > 0 {
			out = append(out, merge(cur))
			cur = nil
		}
	}
	for _, j := range jobs {
		if j.forget() {
			flush()
			if n := len(out); n > 0 && out[n-1].forget() {
				out[n-1] = merge([]*job{out[n-1], j})
				out[n-1].merged = bot.NotMerged
				continue
			}
		} else if n := len(cur); n > 0 && cur[n-1].forget() {
			flush()
		}
		cur = append(cur, j)
	}
	flush()
	return out
}

// chatQueue is one chat's work: the jobs waiting, oldest first.
type chatQueue struct {
	waiting []*job
	// running: a worker is answering one of the chat's jobs.
	running bool
	// listed: the chat is in a ready list (or both).
	listed bool
}

// dispatcher answers jobs with a fixed pool of workers. A chat with work
// waits in a ready list; a free worker takes the first chat of the
// urgent list (messages that may be about danger, and chats' first
// messages), or else of the ordinary one, answers one job of it and puts
// the chat back at the end if it has more: so chats take turns, each
// chat's jobs go one at a time in order, and danger goes first. A chat's
// waiting messages are merged (MaxQueued) so that no chat piles up work.
// The dispatcher holds every update between the inbox and its answer.
type dispatcher struct {
	b *Bot
	// ctx is the context of the work; cancel ends it when the shutdown
	// grace period is over.
	ctx    context.Context
	cancel context.CancelFunc

	mu    sync.Mutex
	work  *sync.Cond // signalled when a chat is listed, or on stop
	chats map[int64]*chatQueue
	// urgent and ready list chats with waiting jobs, in turn order; a
	// chat may be in both (listed once it is in either), and entries of
	// chats that are running or have nothing waiting are skipped.
	urgent, ready []int64
	// held are the update ids queued or being answered, so that a
	// redelivery of one is not queued twice.
	held map[int64]bool
	// jobs counts the jobs queued or being answered: the backlog.
	jobs int
	// room is signalled (without blocking) whenever a job ends.
	room chan struct{}
	// idle is closed, and replaced, whenever held becomes empty.
	idle chan struct{}
	// recent holds when each chat was last answered, for the priority of
	// a chat's first message; entries older than firstAfter are pruned.
	recent   map[int64]time.Time
	pruned   time.Time
	stopping bool
	wg       sync.WaitGroup // workers
	// done carries answered jobs to the writer, which closes written
	// when it has ended them all after done is closed.
	done    chan finished
	written chan struct{}
}

// firstAfter is how long after its last answer a chat's next message
// counts as a first message again (and goes ahead of others).
const firstAfter = time.Hour

func newDispatcher(b *Bot) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	d := &dispatcher{
		b: b, ctx: ctx, cancel: cancel,
		chats:  map[int64]*chatQueue{},
		held:   map[int64]bool{},
		room:   make(chan struct{}, 1),
		idle:   make(chan struct{}),
		recent: map[int64]time.Time{},
	}
	d.work = sync.NewCond(&d.mu)
	d.done = make(chan finished, b.cfg.Workers)
	d.written = make(chan struct{})
	go d.writer()
	d.wg.Add(b.cfg.Workers)
	for range b.cfg.Workers {
		go d.worker()
	}
	return d
}

// backlog is how many jobs are queued or being answered.
func (d *dispatcher) backlog() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.jobs
}

// pending is how many updates are held (queued, merged or being
// answered): Bot.Pending.
func (d *dispatcher) pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.held)
}

// submit queues an update, already in the inbox, behind its chat's
// earlier ones. An update already held is not queued again. ok is false
// once the dispatcher is stopping: the update stays in the inbox for the
// next run.
func (d *dispatcher) submit(in inbound, urgent bool) (ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return false
	}
	id := int64(in.update)
	if d.held[id] {
		return true
	}
	d.held[id] = true
	j := &job{in: in, ids: []int64{id}, urgent: urgent}
	q := d.chats[in.chat]
	if q == nil {
		q = &chatQueue{}
		d.chats[in.chat] = q
	}
	q.waiting = append(q.waiting, j)
	d.jobs++
	if len(q.waiting) > MaxQueued {
		before := len(q.waiting)
		q.waiting = runs(q.waiting)
		d.jobs -= before - len(q.waiting)
	}
	if !q.running {
		d.listLocked(in.chat, q, urgent)
	}
	return true
}

// listLocked puts a chat with waiting work in a ready list: the urgent
// one if its work may be about danger or is its first message.
func (d *dispatcher) listLocked(chat int64, q *chatQueue, urgent bool) {
	if !urgent {
		last, seen := d.recent[chat]
		urgent = !seen || d.b.cfg.Now().Sub(last) > firstAfter
	}
	switch {
	case urgent:
		d.urgent = append(d.urgent, chat)
	case !q.listed:
		d.ready = append(d.ready, chat)
	default:
		return
	}
	q.listed = true
	d.work.Signal()
}

// nextLocked takes the next chat to answer and its next job (what waits
// up to the next /forget, merged into one), or false if none is ready.
func (d *dispatcher) nextLocked() (int64, *job, bool) {
	for _, list := range []*[]int64{&d.urgent, &d.ready} {
		for len(*list) > 0 {
			chat := (*list)[0]
			*list = (*list)[1:]
			q := d.chats[chat]
			if q == nil || q.running || len(q.waiting) == 0 {
				continue // answered meanwhile through the other list
			}
			q.running, q.listed = true, false
			if len(q.waiting) > 1 {
				merged := runs(q.waiting)
				d.jobs -= len(q.waiting) - len(merged)
				q.waiting = merged
			}
			j := q.waiting[0]
			q.waiting = q.waiting[1:]
			return chat, j, true
		}
	}
	return 0, nil, false
}

// worker answers jobs until the dispatcher stops.
func (d *dispatcher) worker() {
	defer d.wg.Done()
	d.mu.Lock()
	for {
		chat, j, ok := d.nextLocked()
		if !ok {
			if d.stopping {
				d.mu.Unlock()
				return
			}
			d.work.Wait()
			continue
		}
		last, seen := d.recent[chat]
		first := !seen || d.b.cfg.Now().Sub(last) > firstAfter
		d.mu.Unlock()

		ctx := d.ctx
		if j.urgent || first {
			ctx = withPriority(ctx)
		}
		handled := d.b.processSafely(ctx, j)
		if handled {
			// The writer takes it out of the inbox, then ends it: the
			// chat's next job waits for that, so a crash can repeat at
			// most this one answer of the chat.
			d.done <- finished{chat, j}
			d.mu.Lock()
			continue
		}
		d.mu.Lock()
		d.endLocked(chat, j, false)
	}
}

// finished is a job answered, on its way out of the inbox.
type finished struct {
	chat int64
	j    *job
}

// doneEvery is the least time between two writes of answered jobs: under
// load, the answers of that time leave the inbox in one transaction (one
// fsync); when quiet, an answer leaves at once.
const doneEvery = 10 * time.Millisecond

// writer takes answered jobs out of the inbox, in groups (a group
// commit), then ends them. It returns once d.done is closed and drained.
func (d *dispatcher) writer() {
	defer close(d.written)
	var last time.Time
	for {
		f, ok := <-d.done
		if !ok {
			return
		}
		if wait := doneEvery - time.Since(last); wait > 0 {
			time.Sleep(wait) // gathering: the spacing is the point
		}
		batch := []finished{f}
		open := true
	drain:
		for open {
			select {
			case f, ok := <-d.done:
				if !ok {
					open = false
					break drain
				}
				batch = append(batch, f)
			default:
				break drain
			}
		}
		var ids []int64
		merged := 0
		for _, f := range batch {
			ids = append(ids, f.j.ids...)
			merged += len(f.j.ids) - 1
		}
		d.b.inboxDone(batch[0].j.in, ids)
		last = time.Now()
		if merged > 0 {
			d.b.metrics.UpdatesSkipped(channelName, bot.SkipMerged, merged)
		}
		d.mu.Lock()
		for _, f := range batch {
			d.endLocked(f.chat, f.j, true)
		}
		d.mu.Unlock()
		if !open {
			return
		}
	}
}

// endLocked ends a job: answered (and out of the inbox) or handed back.
// The chat goes back in its list if it has more waiting.
func (d *dispatcher) endLocked(chat int64, j *job, handled bool) {
	d.releaseLocked(j)
	if handled {
		d.noteAnsweredLocked(chat)
	}
	q := d.chats[chat]
	q.running = false
	switch {
	case d.stopping:
		// Handed back: the updates stay in the inbox for the next run.
		for _, w := range q.waiting {
			d.releaseLocked(w)
		}
		delete(d.chats, chat)
	case len(q.waiting) == 0:
		delete(d.chats, chat)
	default:
		urgent := false
		for _, w := range q.waiting {
			urgent = urgent || w.urgent
		}
		d.listLocked(chat, q, urgent)
	}
}

// releaseLocked forgets a job that ended (answered, or handed back).
func (d *dispatcher) releaseLocked(j *job) {
	for _, id := range j.ids {
		delete(d.held, id)
	}
	d.jobs--
	select {
	case d.room <- struct{}{}:
	default:
	}
	if len(d.held) == 0 {
		close(d.idle)
		d.idle = make(chan struct{})
	}
}

// waitIdle waits until no update is held, or ctx ends.
func (d *dispatcher) waitIdle(ctx context.Context) error {
	for {
		d.mu.Lock()
		n, idle := len(d.held), d.idle
		d.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (d *dispatcher) noteAnsweredLocked(chat int64) {
	now := d.b.cfg.Now()
	d.recent[chat] = now
	if now.Sub(d.pruned) < firstAfter/4 {
		return
	}
	d.pruned = now
	for c, t := range d.recent {
		if now.Sub(t) > firstAfter {
			delete(d.recent, c)
		}
	}
}

// stop takes no more updates, hands back those not started, lets those
// being answered finish for up to grace, then cancels them, and waits for
// every worker to end (and so every answered job to leave the inbox).
func (d *dispatcher) stop(grace time.Duration) {
	d.mu.Lock()
	d.stopping = true
	for chat, q := range d.chats {
		if !q.running {
			for _, w := range q.waiting {
				d.releaseLocked(w)
			}
			delete(d.chats, chat)
		}
	}
	d.urgent, d.ready = nil, nil
	d.work.Broadcast()
	d.mu.Unlock()
	finished := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(d.done)
		<-d.written
		close(finished)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-finished:
	case <-t.C:
		d.b.log.Warn("shutdown grace period over: cancelling updates still being answered; they are answered after a restart")
		d.cancel()
		<-finished
	}
	d.cancel()
}
