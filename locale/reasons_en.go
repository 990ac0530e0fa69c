package locale

// enReasons are the English sentences of the refusals of an upload to
// /verify, which the page says whole ("The file was refused: ...") where the
// domain's message is a clause.
var enReasons = map[string]string{
	"limit.cell_bytes":          "The file was refused: a cell is longer than %d bytes.",
	"limit.row_bytes":           "The file was refused: a row is longer than %d bytes.",
	"limit.columns":             "The file was refused: a row has more than %d columns.",
	"limit.rows":                "The file was refused: the sheet has more than %d rows.",
	"limit.token_bytes":         "The file was refused: its XML has a tag or a run of text longer than %d bytes.",
	"limit.depth":               "The file was refused: its XML nests elements more than %d deep.",
	"limit.shared_strings":      "The file was refused: its shared strings table has more than %d entries.",
	"limit.shared_string_bytes": "The file was refused: its shared strings add up to more than %d bytes.",
	"limit.unzip_bytes":         "The file was refused: the workbook decompresses to more than %d bytes.",
	"limit.zip_entries":         "The file was refused: the workbook has more than %d parts.",
	"upload.body":               "The upload is larger than the %d bytes allowed.",
	"form.too_large":            "This form is larger than the %.1f MB allowed: send it again with fewer or smaller files.",
	"upload.items":              "There are more than %d items to verify: split the list.",
	"upload.busy_client":        "%d uploads from this address are being read, the most at once: send the next when one has finished.",
	"upload.busy_server":        "The server is reading %d uploads, the most at once: try again in a moment.",
	"upload.unreadable":         "The file cannot be read as a CSV or XLSX table: save it again from Excel, or as CSV UTF-8.",
}
