// Command testreport is the --post-run-command of scripts/test.sh's gotestsum
// run: it reads the run's events (GOTESTSUM_JSONFILE, or the file named as
// its argument) with gotestsum's own parser and prints, per package, how many
// tests ran, passed, were skipped and failed (subtests included; top-level
// tests in brackets), then the totals. gotestsum's summary above it names
// every skipped and failed test with its output.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"

	"gotest.tools/gotestsum/testjson"
)

func main() {
	path := os.Getenv("GOTESTSUM_JSONFILE")
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if path == "" {
		fmt.Fprintln(os.Stderr, "testreport: no events file: run as gotestsum's --post-run-command with --jsonfile, "+
			"or name the file")
		os.Exit(2)
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	defer f.Close()
	if err := report(os.Stdout, f); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
}

// counts of one package, or of all.
type counts struct {
	run, top, passed, skipped, failed int
}

func (c *counts) add(o counts) {
	c.run += o.run
	c.top += o.top
	c.passed += o.passed
	c.skipped += o.skipped
	c.failed += o.failed
}

func packageCounts(p *testjson.Package) counts {
	c := counts{run: p.Total, passed: len(p.Passed), skipped: len(p.Skipped), failed: len(p.Failed)}
	for _, tc := range p.TestCases() {
		if !tc.Test.IsSubTest() {
			c.top++
		}
	}
	return c
}

// report reads go test -json events from r and writes the table to w.
func report(w io.Writer, r io.Reader) error {
	exec, err := testjson.ScanTestOutput(testjson.ScanConfig{Stdout: r})
	if err != nil {
		return fmt.Errorf("reading the test events: %w", err)
	}
	names := exec.Packages()
	sort.Strings(names)
	shown := 0
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "\n=== Tests per package (run includes subtests; top-level tests in brackets)")
	fmt.Fprintln(tw, "result\tpackage\trun\tpassed\tskipped\tfailed")
	var total counts
	empty := 0
	for _, name := range names {
		p := exec.Package(name)
		c := packageCounts(p)
		if name == "" && c.run == 0 {
			continue // output go test gave outside any package, e.g. a setup error
		}
		total.add(c)
		shown++
		result := "ok"
		switch {
		// A package can fail with no failed test: a build error, TestMain.
		case p.Result() == testjson.ActionFail || c.failed > 0:
			result = "FAIL"
		case c.run == 0:
			empty++
			result = "none"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d [%d]\t%d\t%d\t%d\n", result, testjson.RelativePackagePath(name), c.run, c.top,
			c.passed, c.skipped, c.failed)
	}
	fmt.Fprintf(tw, "total\t%d packages (%d without tests)\t%d [%d]\t%d\t%d\t%d\n", shown, empty, total.run,
		total.top, total.passed, total.skipped, total.failed)
	return tw.Flush()
}
