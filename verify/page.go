package verify

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"

	"trustmark"
	thttp "trustmark/http"
	"trustmark/ratelimit"
)

//go:embed templates/verify.html
var templateFS embed.FS

var pageTemplate = template.Must(template.ParseFS(templateFS, "templates/verify.html"))

// pageText is the page's wording in one language.
type pageText struct {
	Title, Intro, Switch                   string
	ItemsLabel, ItemsHint                  string
	FileLabel, FileHint                    string
	FormatLabel, FormatHTML, Submit        string
	Results, ColItem, ColStatus, ColReason string
	APITitle, APIText                      string
	NotFound, Colon                        string
}

var pageTexts = map[Lang]pageText{
	Chinese: {
		Title: "批量核查", Intro: "一次核查多个证书编号、统一社会信用代码、有机码或检验检测报告（资质认定编号/报告编号）。无需验证码，免费。",
		Switch:     "English",
		ItemsLabel: "粘贴要核查的编号", ItemsHint: "每行一个，或用逗号分隔。例如：2016010901123456、91350100M000100Y43、210012345678/R-2025-001",
		FileLabel: "或上传表格文件", FileHint: "CSV（UTF-8或GBK）或Excel（XLSX）；使用标题为“编号”“证书编号”或“统一社会信用代码”的列，否则使用第一列。",
		FormatLabel: "结果格式", FormatHTML: "在本页显示", Submit: "核查",
		Results: "核查结果", ColItem: "查询项", ColStatus: "状态", ColReason: "说明",
		APITitle: "程序接口", APIText: "平台和系统可以通过JSON接口每次核查最多1000项：", NotFound: "未找到", Colon: "：",
	},
	English: {
		Title: "Bulk verification", Intro: "Check many certificate numbers, unified social credit codes, organic codes or test reports (CMA number/report number) at once. Free, no captcha.",
		Switch:     "中文",
		ItemsLabel: "Paste the numbers to check", ItemsHint: "One per line, or separated by commas. For example: 2016010901123456, 91350100M000100Y43, 210012345678/R-2025-001",
		FileLabel: "Or upload a table", FileHint: "CSV (UTF-8 or GBK) or Excel (XLSX); the column headed number, uscc, 编号 or 证书编号 is used, else the first column.",
		FormatLabel: "Result format", FormatHTML: "Show on this page", Submit: "Verify",
		Results: "Results", ColItem: "Item", ColStatus: "Status", ColReason: "Details",
		APITitle: "API", APIText: "Platforms and systems can check up to 1,000 items per call with the JSON API:", NotFound: "not found", Colon: ":",
	},
}

type pageRow struct {
	Result
	StatusText, Class string
}

type pageData struct {
	Lang, OtherLang, HTMLLang string
	T                         pageText
	Error                     string
	Pasted                    string
	Results                   []pageRow
}

func newPageData(l Lang) pageData {
	d := pageData{Lang: string(l), OtherLang: "en", HTMLLang: "zh-CN", T: pageTexts[l]}
	if l == English {
		d.OtherLang, d.HTMLLang = "zh", "en"
	}
	return d
}

func (h *Handler) pageLang(r *http.Request) Lang {
	return ParseLang(r.FormValue("lang"), r.Header.Get("Accept-Language"), Chinese)
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, newPageData(h.pageLang(r)))
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, d pageData) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		h.cfg.Logger.Error("render verify page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", d.HTMLLang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// maxMemory is how much of a multipart form is kept in memory; a larger
// file is spooled to disk by mime/multipart and streamed from there. The
// server's body limit bounds the whole.
const maxMemory = 1 << 20

// upload answers the form: items pasted, a file uploaded, or both; the
// result shown on the page or downloaded as CSV or XLSX. At most
// MaxUploadsPerClient uploads of a client, and MaxUploads in all, are read
// at once; refusals name their limit in the page's language.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) {
	lang := ParseLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), Chinese)
	fail := func(err error) {
		d := newPageData(lang)
		d.Error = uploadMessage(lang, err)
		code := trustmark.ErrorCode(err)
		switch code {
		case trustmark.EInternal:
			h.cfg.Logger.Error("verify upload", "err", err)
		case trustmark.ERateLimited, trustmark.EUnavailable:
			w.Header().Set("Retry-After", "1")
		}
		h.render(w, r, thttp.StatusCode(code), d)
	}
	leave, err := h.uploads.enter(h.cfg.ClientKey(r))
	if err != nil {
		w.Header().Set("Connection", "close") // the body is left unread
		fail(err)
		return
	}
	defer leave()
	if err := r.ParseMultipartForm(maxMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			fail(bodyTooLarge(maxErr.Limit))
			return
		}
		fail(trustmark.Errorf(trustmark.EInvalid, "file", "%s", lang.f("The form could not be read.", "无法读取提交的表单。")))
		return
	} else if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				fail(bodyTooLarge(maxErr.Limit))
				return
			}
			fail(trustmark.Errorf(trustmark.EInvalid, "items", "%s", lang.f("The form could not be read.", "无法读取提交的表单。")))
			return
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if v := r.PostFormValue("lang"); v != "" {
		lang = ParseLang(v, "", lang)
	}
	max := h.cfg.MaxUploadItems
	items, err := SplitItems(r.PostFormValue("items"), max)
	if err != nil {
		fail(err)
		return
	}
	if file, _, err := r.FormFile("file"); err == nil {
		more, err := readUpload(file, max-len(items))
		file.Close()
		if err != nil {
			fail(err)
			return
		}
		items = append(items, more...)
	}
	if len(items) == 0 {
		fail(trustmark.Errorf(trustmark.EInvalid, "items", "%s", lang.f("Nothing to verify: paste numbers or choose a file.", "没有要核查的内容：请粘贴编号或选择文件。")))
		return
	}
	// An upload of n items costs what n/MaxItems API calls would.
	ratelimit.Charge(r.Context(), float64((len(items)-1)/MaxItems))
	results := make([]Result, 0, len(items))
	for start := 0; start < len(items); start += MaxItems {
		res, err := h.cfg.Service.Verify(r.Context(), items[start:min(start+MaxItems, len(items))], lang)
		if err != nil {
			fail(err)
			return
		}
		results = append(results, res...)
	}
	switch r.PostFormValue("format") {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="trustmark-verify.csv"`)
		if err := WriteCSV(w, results, lang); err != nil {
			h.cfg.Logger.Warn("write verify csv", "err", err)
		}
	case "xlsx":
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, results, lang); err != nil {
			fail(err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="trustmark-verify.xlsx"`)
		w.Write(buf.Bytes())
	default:
		d := newPageData(lang)
		d.Pasted = r.PostFormValue("items")
		for _, res := range results {
			row := pageRow{Result: res, StatusText: displayStatus(lang, res), Class: "s-" + res.Status}
			switch {
			case !res.Found:
				row.StatusText, row.Class = pageTexts[lang].NotFound, "s-none"
			case res.Kind == KindOrg:
				row.Class = "s-valid"
			}
			d.Results = append(d.Results, row)
		}
		h.render(w, r, http.StatusOK, d)
	}
}
