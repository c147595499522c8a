package policies

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestParamHandlesAreDeclared proves, from the source, that every typed
// config handle (policy.BoolParam, StringsParam, ...; and the image roles,
// whose handle is their param) that a policy's checks and remediation can
// reach is listed in that policy's Params. A handle read but not declared
// would panic at run time (the runner reports it as a policy error); this
// test finds it before any case exercises the branch.
//
// The analysis is syntactic and errs towards reporting: from the functions
// named in a policy's Resource, Stack and Remediate it follows every call of
// a package function or method by name, and collects the handles those
// bodies name.
func TestParamHandlesAreDeclared(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	handles := map[string]string{}   // handle variable -> property name
	vars := map[string]ast.Expr{}    // package variable -> its value
	funcs := map[string][]ast.Node{} // function or method name -> bodies
	policies := map[string]*ast.CompositeLit{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					funcs[d.Name.Name] = append(funcs[d.Name.Name], d.Body)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					vs, ok := s.(*ast.ValueSpec)
					if !ok || len(vs.Values) != len(vs.Names) {
						continue
					}
					for i, n := range vs.Names {
						v := vs.Values[i]
						vars[n.Name] = v
						if name, ok := handleName(v); ok {
							handles[n.Name] = name
						}
						if u, ok := v.(*ast.UnaryExpr); ok {
							if cl, ok := u.X.(*ast.CompositeLit); ok && isSel(cl.Type, "policy", "Policy") {
								policies[n.Name] = cl
							}
						}
					}
				}
			}
		}
	}
	if len(handles) < 15 || len(policies) != len(All()) {
		t.Fatalf("found %d handles and %d policies in the source; the test no longer reads it right",
			len(handles), len(policies))
	}

	// names returns the identifiers under n, following package variables
	// (subnetParams) and, when calls, functions called by name.
	names := func(roots []ast.Node, calls bool) map[string]bool {
		seen := map[string]bool{}
		var visit func(ast.Node)
		visit = func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok || seen[id.Name] {
					return true
				}
				seen[id.Name] = true
				if v, ok := vars[id.Name]; ok && handles[id.Name] == "" {
					if _, isPolicy := policies[id.Name]; !isPolicy {
						visit(v)
					}
				}
				if calls {
					for _, body := range funcs[id.Name] {
						visit(body)
					}
				}
				return true
			})
		}
		for _, r := range roots {
			visit(r)
		}
		return seen
	}

	for pv, cl := range policies {
		var name string
		var checks, params []ast.Node
		for _, e := range cl.Elts {
			kv := e.(*ast.KeyValueExpr)
			switch kv.Key.(*ast.Ident).Name {
			case "Name":
				name, _ = strconv.Unquote(kv.Value.(*ast.BasicLit).Value)
			case "Resource", "Stack", "Remediate":
				checks = append(checks, kv.Value)
			case "Params":
				params = append(params, kv.Value)
			}
		}
		declared := map[string]bool{}
		for id := range names(params, false) {
			if h, ok := handles[id]; ok {
				declared[h] = true
			}
		}
		var missing []string
		for id := range names(checks, true) {
			if h, ok := handles[id]; ok && !declared[h] {
				missing = append(missing, id+" ("+h+")")
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("policy %s (%s) reads %s but does not list it in its Params", name, pv,
				strings.Join(missing, ", "))
		}
		// And what it declares is what the pack says it takes.
		var got []string
		for _, prm := range Pack().Policy(name).Params {
			got = append(got, prm.Name)
		}
		for h := range declared {
			if !slices.Contains(got, h) {
				t.Errorf("policy %s: the source lists %s, the pack does not", name, h)
			}
		}
	}
}

// TestNoStringKeyedConfigReads keeps the policies on typed handles: a read
// such as ctx.Config.Bool("requireKms") compiles with a misspelt key.
func TestNoStringKeyedConfigReads(t *testing.T) {
	re := regexp.MustCompile(`\b(Config|cfg)\.(Bool|String|Int|Strings|Ints|Regexps|Prefixes)\("`)
	paths, _ := filepath.Glob("*.go")
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if re.MatchString(line) {
				t.Errorf("%s:%d reads config by a string key; declare a typed handle (policy.BoolParam, ...) "+
					"and read it with Get: %s", p, i+1, strings.TrimSpace(line))
			}
		}
	}
}

// handleName returns the property name of a typed handle's declaration:
// policy.XxxParam{Name: "..."} or newRole(_, "...", ...).
func handleName(v ast.Expr) (string, bool) {
	switch v := v.(type) {
	case *ast.CompositeLit:
		sel, ok := v.Type.(*ast.SelectorExpr)
		if !ok || !isSel(sel, "policy", sel.Sel.Name) || !strings.HasSuffix(sel.Sel.Name, "Param") ||
			sel.Sel.Name == "Param" {
			return "", false
		}
		for _, e := range v.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "Name" {
				if lit, ok := kv.Value.(*ast.BasicLit); ok {
					s, err := strconv.Unquote(lit.Value)
					return s, err == nil
				}
			}
		}
	case *ast.CallExpr:
		if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "newRole" && len(v.Args) > 1 {
			if lit, ok := v.Args[1].(*ast.BasicLit); ok {
				s, err := strconv.Unquote(lit.Value)
				return s, err == nil
			}
		}
	}
	return "", false
}

func isSel(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == pkg && sel.Sel.Name == name
}
