package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
)

// A page is page.html's "page": "head", then each message ("msg" after a
// line break), "foot" and "tail". The head and the tail are the same on
// every page until the directory changes (the title names its area), so
// they are rendered once, in a frame; each answer renders only its
// messages and its foot. Rendering the whole page for every answer spent
// more time than the conversation itself.

// frame is the parts of a page rendered once, for one directory, in each
// language.
type frame struct {
	dir    *directory.Directory
	byLang map[lang.Lang]*langFrame
}

// langFrame is a frame's parts in one language.
type langFrame struct {
	title string
	head  [2][]byte // for the page and, at [1], for the embedded page
	tail  []byte
}

// maxPooledBuf is the largest rendering buffer kept for the next page:
// pages are about 5 KB, and an echoed 16 KB message, escaped, is the rare
// large one.
const maxPooledBuf = 128 << 10

// currentFrame returns the frame of the current directory, rendering it
// when the directory has changed since the last page. Concurrent callers
// may each render it once; they render the same bytes.
func (c *Chat) currentFrame() (*frame, error) {
	var d *directory.Directory
	if c.cfg.Directory != nil {
		d = c.cfg.Directory.Directory()
	}
	if f := c.frame.Load(); f != nil && f.dir == d {
		return f, nil
	}
	f := &frame{dir: d, byLang: map[lang.Lang]*langFrame{}}
	for _, l := range lang.Languages() {
		lf := &langFrame{title: tr(l, "web.title")}
		if d != nil && d.About().Area != "" {
			lf.title = tr(l, "web.title_area", d.About().Area)
		}
		for i, embed := range []bool{false, true} {
			data := c.data(embed, l)
			data.Title = lf.title
			var buf bytes.Buffer
			if err := c.tpl.ExecuteTemplate(&buf, "head", data); err != nil {
				return nil, fmt.Errorf("web: page template: %w", err)
			}
			lf.head[i] = buf.Bytes()
			if embed {
				continue
			}
			buf = bytes.Buffer{}
			if err := c.tpl.ExecuteTemplate(&buf, "tail", data); err != nil {
				return nil, fmt.Errorf("web: page template: %w", err)
			}
			lf.tail = buf.Bytes()
		}
		f.byLang[l] = lf
	}
	c.frame.Store(f)
	return f, nil
}

// data is a page's fields but its title and its conversation, in
// language l.
func (c *Chat) data(embed bool, l lang.Lang) pageData {
	l = pageLang(l)
	return pageData{Version: c.version, ExitURL: c.cfg.ExitURL, Embed: embed, Words: wordsIn[l], NetError: c.netError[l], Lang: l, Dir: dirOf(l)}
}

// render writes the page of data to buf; it is page.html's "page", with
// the frame's title.
func (c *Chat) render(buf *bytes.Buffer, data *pageData) error {
	f, err := c.currentFrame()
	if err != nil {
		return err
	}
	lf := f.byLang[pageLang(data.Lang)]
	head := lf.head[0]
	if data.Embed {
		head = lf.head[1]
	}
	buf.Write(head)
	for i := range data.Messages {
		buf.WriteByte('\n')
		if err := c.msg.Execute(buf, &data.Messages[i]); err != nil {
			return err
		}
	}
	if err := c.foot.Execute(buf, data); err != nil {
		return err
	}
	buf.Write(lf.tail)
	return nil
}

// write renders data with the page's security headers. A page that fails
// to render (a bug) is answered with plain text that still carries 999.
func (c *Chat) write(w http.ResponseWriter, r *http.Request, status int, data pageData) {
	buf, _ := c.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			buf.Reset()
			c.bufs.Put(buf)
		}
	}()
	h := w.Header()
	if err := c.render(buf, &data); err != nil {
		c.cfg.Logger.Error("rendering the chat page failed", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(tr(data.Lang, "web.broken") + " " + tr(data.Lang, "web.danger") + "\n")
		h.Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
	h.Set("Content-Security-Policy", c.csp)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
	if len(c.cfg.Origins) == 0 {
		h.Set("X-Frame-Options", "SAMEORIGIN") // for browsers without frame-ancestors
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}
