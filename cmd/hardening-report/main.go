// Command hardening-report turns the engine events of a Pulumi preview (or of
// `pulumi policy analyze`) into reports of the policy findings in it:
// SARIF 2.1.0 for GitHub code scanning, a Markdown summary for
// $GITHUB_STEP_SUMMARY or a pull-request comment, or normalised JSON.
//
//	PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json \
//	  --policy-pack <selfhosted-hardening> > events.json
//	hardening-report --format sarif -o findings.sarif events.json
//
// Every policy pack's findings count; those of the selfhosted-hardening pack
// get its metadata (severity, guide section, remediation, controls), taken
// from the pack this command is built with. The exit status is 1 when a
// mandatory finding that no exemption covers is present (--report-only
// makes it 0), 2 when the input or the flags are wrong.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// Exit statuses.
const (
	exitOK        = 0
	exitMandatory = 1
	exitUsage     = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

type options struct {
	format, output, sourceRoot, projectFile, state string
	reportOnly                                     bool
	input                                          string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("hardening-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.format, "format", "sarif", "report format: sarif, markdown or json")
	fs.StringVar(&o.output, "o", "", "write the report to this file (default: standard output)")
	fs.StringVar(&o.output, "output", "", "same as -o")
	fs.StringVar(&o.sourceRoot, "source-root", ".",
		"the repository's root: locations in the report are relative to it")
	fs.StringVar(&o.projectFile, "project-file", "Pulumi.yaml",
		"the Pulumi project file, where a finding points when its resource's source position is not known")
	fs.StringVar(&o.state, "state", "",
		"optional: the stack's state from `pulumi stack export`, for the resources' source positions "+
			"(engine events carry none)")
	fs.BoolVar(&o.reportOnly, "report-only", false,
		"exit 0 even when a mandatory finding is present")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: hardening-report [flags] <events.json | ->\n\n"+
			"Reads the JSON engine events of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`,\n"+
			"of `pulumi policy analyze --json` or of the Automation API's event stream, and writes a report\n"+
			"of their policy findings. Exit status: 1 with a mandatory finding (unless --report-only), 2 on\n"+
			"bad input.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch fs.NArg() {
	case 1:
		o.input = fs.Arg(0)
	case 0:
		fs.Usage()
		return nil, errors.New("give the events file, or - for standard input")
	default:
		return nil, fmt.Errorf("one events file, not %d", fs.NArg())
	}
	switch o.format {
	case "sarif", "markdown", "json":
	default:
		return nil, fmt.Errorf("--format %q: want sarif, markdown or json", o.format)
	}
	return o, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "hardening-report:", err)
		return exitUsage
	}
	r, err := load(o, stdin)
	if err != nil {
		fmt.Fprintln(stderr, "hardening-report:", err)
		return exitUsage
	}
	if r.Problem != "" {
		fmt.Fprintln(stderr, "hardening-report: warning:", r.Problem)
	}
	if err := write(o, r, stdout); err != nil {
		fmt.Fprintln(stderr, "hardening-report:", err)
		return exitUsage
	}
	if n := r.Blocking(); n > 0 && !o.reportOnly {
		fmt.Fprintf(stderr, "hardening-report: %d mandatory finding(s)\n", n)
		return exitMandatory
	}
	return exitOK
}

func load(o *options, stdin io.Reader) (*report, error) {
	in, name := stdin, "standard input"
	if o.input != "-" {
		f, err := os.Open(o.input)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in, name = f, o.input
	}
	l, err := readLog(in, name)
	if err != nil {
		return nil, err
	}
	loc, err := newLocator(o.sourceRoot, o.projectFile)
	if err != nil {
		return nil, err
	}
	if o.state != "" {
		f, err := os.Open(o.state)
		if err != nil {
			return nil, fmt.Errorf("--state: %w", err)
		}
		defer f.Close()
		if err := loc.readState(f, o.state); err != nil {
			return nil, fmt.Errorf("--state: %w", err)
		}
	}
	return build(l, policies.Pack(), loc), nil
}

func write(o *options, r *report, stdout io.Writer) error {
	w := stdout
	var f *os.File
	if o.output != "" && o.output != "-" {
		if dir := filepath.Dir(o.output); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		var err error
		if f, err = os.Create(o.output); err != nil {
			return err
		}
		w = f
	}
	var err error
	switch o.format {
	case "sarif":
		err = writeSARIF(w, r)
	case "markdown":
		err = writeMarkdown(w, r)
	case "json":
		err = writeJSON(w, r)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// jsonReport is the --format json document.
type jsonReport struct {
	Packs    map[string]string `json:"packs"`
	Problem  string            `json:"problem,omitempty"`
	Summary  jsonSummary       `json:"summary"`
	Findings []Finding         `json:"findings"`
}

type jsonSummary struct {
	Findings  int `json:"findings"`
	Mandatory int `json:"mandatory"`
	Advisory  int `json:"advisory"`
	Exempted  int `json:"exempted"`
}

func writeJSON(w io.Writer, r *report) error {
	doc := jsonReport{Packs: r.log.Packs, Problem: r.Problem, Findings: r.Findings}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		doc.Summary.Findings++
		switch {
		case f.Suppression != nil:
			doc.Summary.Exempted++
		case f.Blocking():
			doc.Summary.Mandatory++
		default:
			doc.Summary.Advisory++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
