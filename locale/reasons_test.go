package locale

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"trustmark"
)

// A reasonUse is one place in the code that gives an error a reason key:
// the key and, where the code states it, the English format of its message.
type reasonUse struct {
	key, format, at string
}

// wrapper is a function that gives an error the reason its caller passes:
// the reason is its parameter reason (with prefix before it), the English
// format its parameter format (-1 when it has none).
type wrapper struct {
	reason, format int
	prefix         string
}

// sourceTree is the module's code, as parsed for the scan of its reasons.
type sourceTree struct {
	fset     *token.FileSet
	files    map[string][]*ast.File // by package directory
	consts   map[string]string      // "dir.Name" → value of string constants
	wrappers map[string]wrapper     // "dir.Func" → its reason parameter
}

// readTree parses the non-test Go files of the module under root, leaving
// out directories the go command ignores (testdata, _x, .x) and other
// modules (bench/).
func readTree(t *testing.T, root string) *sourceTree {
	t.Helper()
	tr := &sourceTree{fset: token.NewFileSet(), files: map[string][]*ast.File{}, consts: map[string]string{}, wrappers: map[string]wrapper{}}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(tr.fset, path, nil, 0)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		tr.files[dir] = append(tr.files[dir], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, files := range tr.files {
		for _, f := range files {
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								tr.consts[dir+"."+n.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	rootDir := filepath.Clean(root)
	tr.wrappers[rootDir+".Invalidf"] = wrapper{reason: 0, format: 2}
	tr.wrappers[rootDir+".Reasonf"] = wrapper{reason: 1, format: 3}
	return tr
}

// importDirs maps a file's import names to package directories.
func (tr *sourceTree) importDirs(root string, f *ast.File) map[string]string {
	m := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != "trustmark" && !strings.HasPrefix(p, "trustmark/") {
			continue
		}
		dir := filepath.Join(root, strings.TrimPrefix(strings.TrimPrefix(p, "trustmark"), "/"))
		name := filepath.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		m[name] = filepath.Clean(dir)
	}
	return m
}

// callee names the function a call calls as "dir.Func", or "".
func callee(call *ast.CallExpr, dir string, imports map[string]string) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return dir + "." + fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if d, ok := imports[x.Name]; ok {
				return d + "." + fn.Sel.Name
			}
		}
	}
	return ""
}

// reasonExpr is what an expression says of a reason: a constant string
// (value, ok), or a parameter of the enclosing function with a constant
// prefix (param ≥ 0).
type reasonExpr struct {
	value string
	ok    bool
	param int
}

func (tr *sourceTree) eval(e ast.Expr, dir string, imports map[string]string, params map[string]int) reasonExpr {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			v, _ := strconv.Unquote(x.Value)
			return reasonExpr{value: v, ok: true, param: -1}
		}
	case *ast.Ident:
		if i, ok := params[x.Name]; ok {
			return reasonExpr{param: i}
		}
		if v, ok := tr.consts[dir+"."+x.Name]; ok {
			return reasonExpr{value: v, ok: true, param: -1}
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if d, ok := imports[id.Name]; ok {
				if v, ok := tr.consts[d+"."+x.Sel.Name]; ok {
					return reasonExpr{value: v, ok: true, param: -1}
				}
			}
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			l, r := tr.eval(x.X, dir, imports, params), tr.eval(x.Y, dir, imports, params)
			if l.ok && r.param >= 0 {
				return reasonExpr{value: l.value, param: r.param} // prefix + parameter
			}
			if l.ok && r.ok {
				return reasonExpr{value: l.value + r.value, ok: true, param: -1}
			}
		}
	case *ast.ParenExpr:
		return tr.eval(x.X, dir, imports, params)
	}
	return reasonExpr{param: -1}
}

// isErrorType reports whether a composite literal's type is Error (of the
// domain): other types have fields named Reason too (Transition, Event).
func isErrorType(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "Error"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Error"
	}
	return false
}

// setsReasonAndArgs reports whether an assignment gives an error its reason
// the way the code does, with its values: "e.Reason, e.Args = ...".
func setsReasonAndArgs(a *ast.AssignStmt) bool {
	var reason, args bool
	for _, lhs := range a.Lhs {
		if s, ok := lhs.(*ast.SelectorExpr); ok {
			reason = reason || s.Sel.Name == "Reason"
			args = args || s.Sel.Name == "Args"
		}
	}
	return reason && args
}

// passThrough reports whether e hands on another error's reason (x.Reason).
func passThrough(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "Reason"
}

// scan finds every reason use, learning wrappers as it goes; it runs until
// no new wrapper appears. Reasons it cannot resolve are reported.
func (tr *sourceTree) scan(t *testing.T, root string) []reasonUse {
	for {
		var uses []reasonUse
		var unresolved []string
		before := len(tr.wrappers)
		for dir, files := range tr.files {
			for _, f := range files {
				imports := tr.importDirs(root, f)
				for _, decl := range f.Decls {
					fd, ok := decl.(*ast.FuncDecl)
					if !ok || fd.Body == nil {
						continue
					}
					params, formatParam := map[string]int{}, -1
					i := 0
					for _, fld := range fd.Type.Params.List {
						for _, n := range fld.Names {
							params[n.Name] = i
							if n.Name == "format" {
								formatParam = i
							}
							i++
						}
					}
					found := func(at token.Pos, r reasonExpr, format ast.Expr) {
						pos := tr.fset.Position(at).String()
						switch {
						case r.param >= 0 && fd.Recv == nil:
							tr.wrappers[dir+"."+fd.Name.Name] = wrapper{reason: r.param, format: formatParam, prefix: r.value}
						case r.ok:
							u := reasonUse{key: r.value, at: pos}
							if format != nil {
								if f := tr.eval(format, dir, imports, params); f.ok {
									u.format = f.value // a literal, or a constant
								}
							}
							uses = append(uses, u)
						default:
							unresolved = append(unresolved, pos)
						}
					}
					ast.Inspect(fd.Body, func(n ast.Node) bool {
						switch x := n.(type) {
						case *ast.CallExpr:
							w, ok := tr.wrappers[callee(x, dir, imports)]
							if !ok || w.reason >= len(x.Args) {
								return true
							}
							r := tr.eval(x.Args[w.reason], dir, imports, params)
							if w.prefix != "" && r.ok {
								r.value = w.prefix + r.value
							}
							var format ast.Expr
							if w.format >= 0 && w.format < len(x.Args) {
								format = x.Args[w.format]
							}
							found(x.Pos(), r, format)
						case *ast.CompositeLit:
							if !isErrorType(x.Type) {
								return true
							}
							for _, el := range x.Elts {
								kv, ok := el.(*ast.KeyValueExpr)
								if k, isIdent := kv.Key.(*ast.Ident); ok && isIdent && k.Name == "Reason" && !passThrough(kv.Value) {
									found(kv.Pos(), tr.eval(kv.Value, dir, imports, params), nil)
								}
							}
						case *ast.AssignStmt:
							if !setsReasonAndArgs(x) {
								return true
							}
							for i, lhs := range x.Lhs {
								if s, ok := lhs.(*ast.SelectorExpr); ok && s.Sel.Name == "Reason" && i < len(x.Rhs) && !passThrough(x.Rhs[i]) {
									found(x.Pos(), tr.eval(x.Rhs[i], dir, imports, params), nil)
								}
							}
						}
						return true
					})
				}
			}
		}
		if len(tr.wrappers) == before {
			for _, at := range unresolved {
				t.Errorf("%s: a reason key the scan cannot resolve: give it a constant, or hand on another error's .Reason", at)
			}
			return uses
		}
	}
}

// domainReasons returns every reason key the module's code gives an error,
// with the English format of each where the code states it.
func domainReasons(t *testing.T) map[string][]reasonUse {
	t.Helper()
	tr := readTree(t, "..")
	out := map[string][]reasonUse{}
	for _, u := range tr.scan(t, "..") {
		out[u.key] = append(out[u.key], u)
	}
	return out
}

// TestEveryReasonHasAChineseEntry scans the whole module (the domain, the
// capability packages, the adapters) for the reason keys errors carry and
// wants a Chinese entry for each, so that a new reason without one fails
// here; and no entry for a key nobody gives.
func TestEveryReasonHasAChineseEntry(t *testing.T) {
	used := domainReasons(t)
	if len(used) < 50 {
		t.Fatalf("the scan found only %d reason keys; it has lost its way", len(used))
	}
	for _, key := range []string{"uscc.checksum", "limit.unzip_bytes", "upload.busy_client", "json.type", "matter.kinds_period"} {
		if used[key] == nil {
			t.Errorf("the scan did not find the reason %q", key)
		}
	}
	var keys []string
	for key := range used {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if zh.Reasons[key] == "" {
			t.Errorf("catalogue zh has no Reasons[%q] (given at %s)", key, used[key][0].at)
		}
	}
	for _, m := range []*Messages{zh, en} {
		for key := range m.Reasons {
			if used[key] == nil {
				t.Errorf("catalogue %s: Reasons[%q] is given by no code", m.Lang, key)
			}
		}
	}
}

var (
	verbs     = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	asciiWord = regexp.MustCompile(`[A-Za-z][A-Za-z'-]*[A-Za-z]`)
)

// sharedWords are words a Chinese message may share with the English one:
// names that are the same in both languages.
var sharedWords = map[string]bool{"Trustmark": true, "Excel": true, "Bearer": true, "TOKEN": true, "Authorization": true,
	"http": true, "https": true, "food": true, "cnca": true, "cn": true, "api": true, "openapi": true, "json": true, "token": true, "trustmark": true, "create": true}

// TestChineseReasonsSpeakNoEnglish wants each Chinese entry to hold none
// of the words of the English message it replaces, but for names that are
// the same in both languages (acronyms such as CCC, CMA, CSV, UTF, and
// sharedWords); the values quoted from the input fill verbs and are not
// words of the format.
func TestChineseReasonsSpeakNoEnglish(t *testing.T) {
	for key, uses := range domainReasons(t) {
		for _, u := range uses {
			if u.format == "" {
				continue
			}
			if left := englishLeft(u.format, zh.Reasons[key]); len(left) > 0 {
				t.Errorf("Reasons[%q] = %q keeps the English words %q of %q (%s)", key, zh.Reasons[key], left, u.format, u.at)
			}
		}
	}
}

// englishLeft returns the words of the English format that the Chinese one
// keeps: lower- or mixed-case ASCII words outside verbs, but for
// sharedWords.
func englishLeft(english, chinese string) []string {
	words := map[string]bool{}
	for _, w := range asciiWord.FindAllString(verbs.ReplaceAllString(english, " "), -1) {
		words[strings.ToLower(w)] = true
	}
	var left []string
	for _, w := range asciiWord.FindAllString(verbs.ReplaceAllString(chinese, " "), -1) {
		if words[strings.ToLower(w)] && w != strings.ToUpper(w) && !sharedWords[w] {
			left = append(left, w)
		}
	}
	return left
}

func TestEnglishLeft(t *testing.T) {
	tests := []struct {
		english, chinese string
		want             int
	}{
		{"request body is empty; want a JSON object", "请求内容为空；应为一个JSON对象。", 0},
		{"unknown field %q", "未知字段“%s”。", 0},
		{"unknown field %q", "unknown 字段“%s”。", 1},
		{"%s is not valid UTF-8 text", "参数%s不是有效的UTF-8 text。", 1},
		{"webhook URL %q is not an absolute http:// address", "回调地址“%s”不是以http://开头的地址。", 0},
	}
	for _, tt := range tests {
		if got := englishLeft(tt.english, tt.chinese); len(got) != tt.want {
			t.Errorf("englishLeft(%q, %q) = %q, want %d words", tt.english, tt.chinese, got, tt.want)
		}
	}
}

// quoted stands for a value an English message quotes with %q: a string
// or a rune, so that an entry may say it with %s, %q, %c or %v.
type quoted struct{}

func (quoted) Format(f fmt.State, verb rune) {
	if strings.ContainsRune("sqcv", verb) {
		fmt.Fprint(f, "x")
		return
	}
	fmt.Fprintf(f, "%%!%c(quoted)", verb)
}

// sampleArgs returns a value for each verb of an English format, of a type
// the verb takes (%d an int, %s a string, %v a float, %c a rune), in the
// order the format takes them, so that an entry can be filled as the code
// would fill it.
func sampleArgs(format string) []any {
	var args []any
	next := 0
	for _, m := range verbs.FindAllStringSubmatch(format, -1) {
		v := m[0]
		if v[len(v)-1] == '%' {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
			next--
		}
		var a any = "x"
		switch v[len(v)-1] {
		case 'd', 'x':
			a = 7
		case 'c', 'U':
			a = 'X'
		case 'v', 'g', 'f':
			a = 1.5
		case 'q':
			a = quoted{}
		}
		for len(args) <= next {
			args = append(args, nil)
		}
		args[next] = a
		next++
	}
	return args
}

// TestChineseReasonsFillTheirValues fills each Chinese entry with values
// of the kinds its English message takes, in their order, and wants no
// fmt complaint: a value quoted with the wrong verb, an index past the
// values, or values an entry with verbs leaves over.
func TestChineseReasonsFillTheirValues(t *testing.T) {
	for key, uses := range domainReasons(t) {
		for _, u := range uses {
			if u.format == "" || zh.Reasons[key] == "" {
				continue
			}
			err := &trustmark.Error{Code: trustmark.EInvalid, Reason: key, Args: sampleArgs(u.format)}
			if got := zh.Reason(err); strings.Contains(got, "%!") {
				t.Errorf("Reasons[%q] filled as %q is given (%s) = %q", key, u.format, u.at, got)
			}
		}
	}
}
