package verify

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"sync"

	"trustmark"
	"trustmark/importer"
)

// Defaults of the upload gate: how many uploads are read at once from one
// client and in all. Each costs at most about 40 MB while it is read
// (uploadLimits), so the server's uploads stay within a few hundred MB
// whatever arrives; the rest are refused at once, before their body is
// read, and told when to come back.
const (
	DefaultUploadsPerClient = 2
	DefaultUploads          = 8
)

// uploadGate bounds the uploads being read at once, per client and in all.
type uploadGate struct {
	perClient, total int
	mu               sync.Mutex
	n                int
	by               map[string]int
}

// Reasons of an upload refused by the gate, by a body over the server's
// limit, or by too many items (each error's Args hold the limit).
const (
	reasonBusyClient = "upload.busy_client"
	reasonBusyServer = "upload.busy_server"
	reasonBody       = "upload.body"
	reasonItems      = "upload.items"
)

// enter admits an upload of client, or refuses it: rate_limited when the
// client has perClient uploads being read, unavailable when the server has
// total. Call leave when the upload is read.
func (g *uploadGate) enter(client string) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.by[client] >= g.perClient:
		return nil, &trustmark.Error{Code: trustmark.ERateLimited, Field: "file", Reason: reasonBusyClient, Args: []any{g.perClient},
			Message: fmt.Sprintf("%d uploads from this address are being read; send the next when one has finished", g.perClient)}
	case g.n >= g.total:
		return nil, &trustmark.Error{Code: trustmark.EUnavailable, Field: "file", Reason: reasonBusyServer, Args: []any{g.total},
			Message: fmt.Sprintf("the server is reading %d uploads, as many as it reads at once; try again in a moment", g.total)}
	}
	if g.by == nil {
		g.by = map[string]int{}
	}
	g.n++
	g.by[client]++
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.n--
		if g.by[client]--; g.by[client] == 0 {
			delete(g.by, client)
		}
	}, nil
}

// remoteHost is the default client of an upload: the connection's address.
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// readUpload reads the items of an uploaded file, streaming it (a part
// larger than the form's memory is on disk, and read from there).
func readUpload(f multipart.File, max int) ([]string, error) {
	items, err := readItems(f, max)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, bodyTooLarge(maxErr.Limit)
	}
	return items, err
}

func bodyTooLarge(limit int64) error {
	return &trustmark.Error{Code: trustmark.ETooLarge, Field: "file", Reason: reasonBody, Args: []any{limit},
		Message: fmt.Sprintf("the upload is larger than the %d bytes allowed", limit)}
}

// uploadTexts are the upload page's refusals by reason: English, then
// Chinese; %d is the limit.
var uploadTexts = map[string][2]string{
	importer.ReasonCellBytes:         {"The file was refused: a cell is longer than %d bytes.", "文件被拒绝：有单元格超过%d字节的上限。"},
	importer.ReasonRowBytes:          {"The file was refused: a row is longer than %d bytes.", "文件被拒绝：有一行超过%d字节的上限。"},
	importer.ReasonColumns:           {"The file was refused: a row has more than %d columns.", "文件被拒绝：有一行超过%d列的上限。"},
	importer.ReasonRows:              {"The file was refused: the sheet has more than %d rows.", "文件被拒绝：工作表超过%d行的上限。"},
	importer.ReasonTokenBytes:        {"The file was refused: its XML has a tag or a run of text longer than %d bytes.", "文件被拒绝：工作簿的XML中有标签或文本段超过%d字节的上限。"},
	importer.ReasonDepth:             {"The file was refused: its XML nests elements more than %d deep.", "文件被拒绝：工作簿的XML元素嵌套超过%d层的上限。"},
	importer.ReasonSharedStrings:     {"The file was refused: its shared strings table has more than %d entries.", "文件被拒绝：工作簿的共享字符串表超过%d项的上限。"},
	importer.ReasonSharedStringBytes: {"The file was refused: its shared strings add up to more than %d bytes.", "文件被拒绝：工作簿的共享字符串合计超过%d字节的上限。"},
	importer.ReasonUnzipBytes:        {"The file was refused: the workbook decompresses to more than %d bytes.", "文件被拒绝：工作簿解压后超过%d字节的上限。"},
	importer.ReasonZipEntries:        {"The file was refused: the workbook has more than %d parts.", "文件被拒绝：工作簿的部件超过%d个的上限。"},
	reasonBody:                       {"The upload is larger than the %d bytes allowed.", "上传的内容超过%d字节的上限。"},
	reasonItems:                      {"There are more than %d items to verify: split the list.", "要核查的内容超过%d项的上限：请拆分后再提交。"},
	reasonBusyClient:                 {"%d uploads from this address are being read, the most at once: send the next when one has finished.", "本地址已有%d个上传正在处理，已达上限：请在其中一个完成后再提交。"},
	reasonBusyServer:                 {"The server is reading %d uploads, the most at once: try again in a moment.", "服务器正在处理%d个上传，已达上限：请稍后再试。"},
	reasonUnreadable:                 {"The file cannot be read as a CSV or XLSX table: save it again from Excel, or as CSV UTF-8.", "无法将该文件读取为CSV或XLSX表格：请用Excel重新保存，或另存为“CSV UTF-8”。"},
}

// uploadMessage says err in l: refusals with a known reason are
// translated, naming their limit; anything else keeps its message.
func uploadMessage(l Lang, err error) string {
	var e *trustmark.Error
	if !errors.As(err, &e) {
		return trustmark.ErrorMessage(err)
	}
	t, ok := uploadTexts[e.Reason]
	if !ok {
		return e.Message
	}
	format := t[0]
	if l == Chinese {
		format = t[1]
	}
	if len(e.Args) == 0 {
		return format
	}
	return fmt.Sprintf(format, e.Args[0])
}
