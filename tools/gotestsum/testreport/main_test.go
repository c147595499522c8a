package main

import (
	"strings"
	"testing"
)

// events builds go test -json lines: "pkg action [test [output]]".
func events(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		f := strings.SplitN(l, " ", 4)
		b.WriteString(`{"Action":"` + f[1] + `","Package":"` + f[0] + `"`)
		if len(f) > 2 {
			b.WriteString(`,"Test":"` + f[2] + `"`)
		}
		if len(f) > 3 {
			b.WriteString(`,"Output":"` + f[3] + `\n"`)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func TestReport(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		rows    [][]string // fields of each row after the header, in order
		wantErr string
	}{
		{name: "pass, skip, fail and subtests", in: events(
			"ex/a run TestOne", "ex/a run TestOne/sub1", "ex/a pass TestOne/sub1", "ex/a run TestOne/sub2",
			"ex/a pass TestOne/sub2", "ex/a pass TestOne",
			"ex/a run TestSkip", "ex/a output TestSkip needs the CLI", "ex/a skip TestSkip",
			"ex/a pass",
			"ex/b run TestBad", "ex/b fail TestBad", "ex/b fail",
		), rows: [][]string{
			{"ok", "ex/a", "4", "[2]", "3", "1", "0"},
			{"FAIL", "ex/b", "1", "[1]", "0", "0", "1"},
			{"total", "2", "packages", "(0", "without", "tests)", "5", "[3]", "3", "1", "1"},
		}},
		{name: "no test files", in: `{"Action":"start","Package":"ex/c"}
{"Action":"output","Package":"ex/c","Output":"?   \tex/c\t[no test files]\n"}
{"Action":"skip","Package":"ex/c","Elapsed":0}
`, rows: [][]string{
			{"none", "ex/c", "0", "[0]", "0", "0", "0"},
			{"total", "1", "packages", "(1", "without", "tests)", "0", "[0]", "0", "0", "0"},
		}},
		{name: "package fails outside its tests", in: events("ex/d run TestOK", "ex/d pass TestOK", "ex/d fail"),
			rows: [][]string{
				{"FAIL", "ex/d", "1", "[1]", "1", "0", "0"},
				{"total", "1", "packages", "(0", "without", "tests)", "1", "[1]", "1", "0", "0"},
			}},
		{name: "test without an end event counts as failed", in: events("ex/e run TestHang", "ex/e fail"),
			rows: [][]string{
				{"FAIL", "ex/e", "1", "[1]", "0", "0", "1"},
				{"total", "1", "packages", "(0", "without", "tests)", "1", "[1]", "0", "0", "1"},
			}},
		{name: "setup error outside any package", in: `{"Action":"output","Output":"setup failed\n"}
{"Action":"start","Package":"ex/f"}
{"Action":"output","Package":"ex/f","Output":"FAIL\tex/f [setup failed]\n"}
{"Action":"fail","Package":"ex/f","Elapsed":0}
`, rows: [][]string{
			{"FAIL", "ex/f", "0", "[0]", "0", "0", "0"},
			{"total", "1", "packages", "(0", "without", "tests)", "0", "[0]", "0", "0", "0"},
		}},
		{name: "empty input", in: "", rows: [][]string{
			{"total", "0", "packages", "(0", "without", "tests)", "0", "[0]", "0", "0", "0"},
		}},
		{name: "not JSON", in: "panic: boom\n", wantErr: "reading the test events"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out strings.Builder
			err := report(&out, strings.NewReader(c.in))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("want error %q, got %v\n%s", c.wantErr, err, out.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) < 2 || !strings.HasPrefix(lines[0], "=== Tests per package") ||
				strings.Join(strings.Fields(lines[1]), " ") != "result package run passed skipped failed" {
				t.Fatalf("no heading:\n%s", out.String())
			}
			got := lines[2:]
			if len(got) != len(c.rows) {
				t.Fatalf("want %d rows, got:\n%s", len(c.rows), out.String())
			}
			for i, want := range c.rows {
				if f := strings.Fields(got[i]); strings.Join(f, " ") != strings.Join(want, " ") {
					t.Errorf("row %d: got %q, want %q", i, f, want)
				}
			}
		})
	}
}
