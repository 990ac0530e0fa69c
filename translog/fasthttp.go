package translog

import (
	"context"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// FastHandler is Handler on fasthttp: POST /add handled natively, every
// other request (checkpoint, tiles) passed to the log's net/http read API.
// It exists for `trustmark log bench-server`, where net/http's own cost per
// request (a background read, deadlines, header maps: about half of the
// server's CPU per append in profiles) would otherwise be most of what is
// measured. The engine behind both front ends is the same.
func (a *Appender) FastHandler() fasthttp.RequestHandler {
	reads := fasthttpadaptor.NewFastHTTPHandler(a.log.Handler())
	ctx := context.Background()
	return func(c *fasthttp.RequestCtx) {
		if string(c.Path()) != "/add" {
			reads(c)
			return
		}
		if !c.IsPost() {
			c.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
			return
		}
		// The body stays valid until this handler returns, and Add
		// returns only once the entry is written: no copy needed.
		b := c.PostBody()
		if len(b) > MaxEntrySize {
			c.Error("entry too large", fasthttp.StatusBadRequest)
			return
		}
		status, body := a.addAnswer(a.Add(ctx, b))
		c.SetStatusCode(status)
		if status == fasthttp.StatusServiceUnavailable {
			c.Response.Header.Set("Retry-After", "1")
		}
		c.SetContentType("text/plain")
		c.SetBody(body)
	}
}
