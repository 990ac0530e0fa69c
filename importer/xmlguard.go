package importer

import (
	"bytes"
	"errors"
	"io"
)

// xmlGuard passes XML through to a decoder and fails as soon as one token
// grows past TokenBytes or elements nest deeper than Depth. encoding/xml has
// no such bounds: it gathers a whole run of text, a whole tag or a whole
// comment before returning it, and keeps every open element on a stack, so
// 3 GB of whitespace between two rows would be one 3 GB token.
//
// The guard follows the lexical structure of XML 1.0 (section 2): text,
// tags (whose quoted attribute values may hold '>'), comments, CDATA
// sections and processing instructions. Declarations (<!DOCTYPE ...>) are
// refused: no workbook part has one, and a DOCTYPE's internal subset is
// where entity expansion attacks live.
type xmlGuard struct {
	r      io.Reader
	lim    Limits
	state  guardState
	tok    int  // bytes of the token so far
	depth  int  // open elements
	quote  byte // the quote of the attribute value we are in, or 0
	end    bool // the tag is an end tag
	prev   byte // the byte before this one, within the token
	prev2  byte // and the one before it
	prefix int  // bytes of "CDATA[" matched so far
	err    error
}

type guardState uint8

const (
	inText    guardState = iota
	afterLT              // just read '<'
	afterBang            // read "<!"
	afterDash            // read "<!-"
	inComment
	inCDATAPrefix
	inCDATA
	inPI
	inTag
)

var errDeclaration = errors.New("the workbook's XML holds a declaration (<!DOCTYPE or <!ENTITY), which no workbook has: it is damaged or hostile")

func newXMLGuard(r io.Reader, lim Limits) *xmlGuard { return &xmlGuard{r: r, lim: lim} }

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.state == inText {
			// Skip a run of text at once: only its length matters.
			j := bytes.IndexByte(p[i:n], '<')
			if j < 0 {
				j = n - i
			}
			if j > 0 {
				if g.tok += j; g.tok > g.lim.TokenBytes {
					g.err = tooLarge("file", ReasonTokenBytes, int64(g.lim.TokenBytes))
					return i, g.err
				}
				g.prev2, g.prev = g.prev, p[i+j-1]
				if j > 1 {
					g.prev2 = p[i+j-2]
				}
				if i += j; i == n {
					break
				}
			}
		}
		if e := g.step(p[i]); e != nil {
			// The decoder gets the bytes before the fault, then the error.
			g.err = e
			return i, e
		}
	}
	return n, err
}

// step advances the guard by one byte.
func (g *xmlGuard) step(c byte) error {
	g.tok++
	if g.tok > g.lim.TokenBytes {
		return tooLarge("file", ReasonTokenBytes, int64(g.lim.TokenBytes))
	}
	var err error
	switch g.state {
	case inText:
		if c == '<' {
			g.state, g.tok = afterLT, 1
		}
	case afterLT:
		g.stepMarkup(c)
	case afterBang, afterDash, inCDATAPrefix:
		err = g.stepBang(c)
	case inComment, inCDATA, inPI:
		g.stepSection(c)
	case inTag:
		err = g.stepTag(c)
	}
	if err != nil {
		return err
	}
	g.prev2, g.prev = g.prev, c
	return nil
}

// stepMarkup reads the byte after '<', which says what the markup is.
func (g *xmlGuard) stepMarkup(c byte) {
	switch c {
	case '!':
		g.state = afterBang
	case '?':
		g.state = inPI
	case '/':
		g.state, g.end, g.quote = inTag, true, 0
	default:
		g.state, g.end, g.quote = inTag, false, 0
	}
}

// stepBang reads the bytes after "<!": only "<!--" (a comment) and
// "<![CDATA[" may follow; anything else is a declaration.
func (g *xmlGuard) stepBang(c byte) error {
	switch g.state {
	case afterBang:
		switch c {
		case '-':
			g.state = afterDash
		case '[':
			g.state, g.prefix = inCDATAPrefix, 0
		default:
			return errDeclaration
		}
	case afterDash:
		if c != '-' {
			return errDeclaration
		}
		g.state, g.prev, g.prev2 = inComment, 0, 0
	case inCDATAPrefix:
		if c != "CDATA["[g.prefix] {
			return errDeclaration
		}
		if g.prefix++; g.prefix == len("CDATA[") {
			g.state, g.prev, g.prev2 = inCDATA, 0, 0
		}
	}
	return nil
}

// stepSection reads a comment, CDATA section or processing instruction
// up to its closing "-->", "]]>" or "?>".
func (g *xmlGuard) stepSection(c byte) {
	closer := byte('-')
	if g.state == inCDATA {
		closer = ']'
	}
	done := c == '>' && (g.state == inPI && g.prev == '?' || g.state != inPI && g.prev == closer && g.prev2 == closer)
	if done {
		g.state, g.tok = inText, 0
	}
}

// stepTag reads a tag up to its '>' (a '>' inside a quoted attribute value
// does not end it) and then counts the elements open, refusing one more
// than Depth.
func (g *xmlGuard) stepTag(c byte) error {
	switch {
	case g.quote != 0:
		if c == g.quote {
			g.quote = 0
		}
	case c == '"' || c == '\'':
		g.quote = c
	case c == '>':
		switch {
		case g.end:
			g.depth--
		case g.depth+1 > g.lim.Depth: // an empty element counts too
			return tooLarge("file", ReasonDepth, int64(g.lim.Depth))
		case g.prev != '/':
			g.depth++
		}
		g.state, g.tok = inText, 0
	}
	return nil
}
