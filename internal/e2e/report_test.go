package e2e

// The reporter (cmd/hardening-report) on the real CLI's events: demo-shaped
// programs previewed with the pack, the CLI streaming its engine events as
// JSON (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json),
// and the reporter's three formats checked against the policy events of the
// same preview.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// streamingJSON is the CLI with every preview run as
// `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`; it
// keeps the preview's standard output: the engine events, one a line. The
// Automation API still reads its own event log, so the same preview gives
// both the streamed JSON and the Automation API's events.
type streamingJSON struct {
	auto.PulumiCommand
	stdout string
}

func (c *streamingJSON) Run(ctx context.Context, workdir string, stdin io.Reader, out, errOut []io.Writer,
	env []string, args ...string,
) (string, string, int, error) {
	if len(args) > 0 && args[0] == "preview" {
		args = append(args, "--json")
		env = append(env, "PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true")
	}
	stdout, stderr, code, err := c.PulumiCommand.Run(ctx, workdir, stdin, out, errOut, env, args...)
	if len(args) > 0 && args[0] == "preview" {
		c.stdout = stdout
	}
	return stdout, stderr, code, err
}

const (
	reportDBPassword = "report-Db-Passw0rd-not-shown"
	reportLicenseKey = "report-L1cense-Key-not-shown"
	exemptReason     = "access logs, encrypted by the log service"
)

// ecsDemo is the demo's ECS program (internal/programs.ECS) with one more
// bucket, exempted by its tag: the report's one suppression.
var ecsDemo = programs.ECS(func(ctx *pulumi.Context) error {
	_, err := s3.NewBucketV2(ctx, "access-logs", &s3.BucketV2Args{Tags: pulumi.StringMap{
		"selfhosted-hardening:exempt": pulumi.String("s3-bucket-encrypted: " + exemptReason),
	}})
	return err
})

// reportCase is one program the reporter test previews.
type reportCase struct {
	name    string
	program pulumi.RunFunc
	config  map[string]string // set as secrets
	// secrets are values no report may hold.
	secrets []string
	eks     bool
}

func reportCases() []reportCase {
	eksSecrets := append([]string{}, programs.EKSPlainSecrets...)
	for k, v := range programs.EKSSecretConfig {
		if k == "recaptchaSiteKey" { // public by design
			continue
		}
		eksSecrets = append(eksSecrets, v)
		// The secret part of a kubeconfig or a PEM key, alone.
		for _, word := range strings.Fields(v) {
			if strings.Contains(word, "not-shown") {
				eksSecrets = append(eksSecrets, word)
			}
		}
	}
	return []reportCase{
		{
			name: "ecs", program: ecsDemo,
			config:  map[string]string{"dbPassword": reportDBPassword, "licenseKey": reportLicenseKey},
			secrets: []string{reportDBPassword, reportLicenseKey},
		},
		{name: "eks", program: programs.EKS(false), config: programs.EKSSecretConfig, secrets: eksSecrets, eks: true},
	}
}

// TestReportFromStreamingPreview previews the demo-shaped ECS and EKS
// programs with the pack in the real CLI streaming JSON events, runs the
// reporter on the stream, and checks that every policy event of the
// preview is one SARIF result with its rule, level and resource (and the
// exempted one a suppression), that nothing else is, that the Markdown and
// JSON reports count the same findings, that the Automation API's events
// give the same results, and that no secret value is in any report.
func TestReportFromStreamingPreview(t *testing.T) {
	reporter := testbin.Build(t, "./cmd/hardening-report", "hardening-report")
	for _, tc := range reportCases() {
		t.Run(tc.name, func(t *testing.T) {
			w := setup(t)
			if tc.eks {
				w = setupEKS(t)
			}
			dir := t.TempDir()
			cli := &streamingJSON{PulumiCommand: w.CLI}
			ctx := context.Background()
			s, err := auto.UpsertStackInlineSource(ctx, "report-"+tc.name, project, tc.program,
				auto.Pulumi(cli), auto.EnvVars(w.Env), auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.WorkDir(dir))
			if err != nil {
				t.Fatal(err)
			}
			cfg := map[string]auto.ConfigValue{"aws:region": {Value: "us-west-2"}}
			for k, v := range tc.config {
				cfg[k] = auto.ConfigValue{Value: v, Secret: true}
			}
			if err := s.SetAllConfig(ctx, cfg); err != nil {
				t.Fatal(err)
			}

			ch := make(chan events.EngineEvent)
			var autoEvents []apitype.EngineEvent
			done := make(chan struct{})
			go func() {
				for e := range ch {
					autoEvents = append(autoEvents, e.EngineEvent)
				}
				close(done)
			}()
			start := time.Now()
			_, err = s.Preview(ctx, optpreview.PolicyPacks(w.pack), optpreview.EventStreams(ch))
			t.Logf("preview: %v", time.Since(start).Round(time.Millisecond))
			waitEvents(done)
			if err == nil || !strings.Contains(err.Error(), "preview failed") {
				t.Fatalf("want the preview to fail on mandatory findings, got %v", err)
			}
			var want []apitype.PolicyEvent
			for _, e := range autoEvents {
				if e.PolicyEvent != nil {
					want = append(want, *e.PolicyEvent)
				}
			}
			if len(want) == 0 {
				t.Fatal("the preview reported no policy events: the test checks nothing")
			}
			stream := filepath.Join(dir, "events.json")
			if err := os.WriteFile(stream, []byte(cli.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(cli.stdout, `"policyEvent"`) {
				t.Fatalf("the CLI's streamed JSON holds no policy event:\n%.2000s", cli.stdout)
			}
			// SELFHOSTED_HARDENING_RECORD_EVENTS=<folder> keeps the stream, to
			// refresh cmd/hardening-report/testdata.
			if rec := os.Getenv("SELFHOSTED_HARDENING_RECORD_EVENTS"); rec != "" {
				if err := os.WriteFile(filepath.Join(rec, tc.name+"-preview.jsonl"), []byte(cli.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			if tc.eks && !slices.ContainsFunc(tc.secrets, func(v string) bool { return strings.Contains(cli.stdout, v) }) {
				t.Errorf("no secret value of the program is in the streamed events: the secret check checks nothing")
			}
			outs := map[string]string{}
			for _, format := range []string{"sarif", "markdown", "json"} {
				out := filepath.Join(dir, "report."+format)
				start := time.Now()
				cmd := exec.Command(reporter, "--format", format, "-o", out, "--source-root", dir,
					"--project-file", filepath.Join(dir, "Pulumi.yaml"), stream)
				stderr, err := cmd.CombinedOutput()
				t.Logf("hardening-report --format %s: %v", format, time.Since(start).Round(time.Millisecond))
				if code := cmd.ProcessState.ExitCode(); code != 1 {
					t.Errorf("--format %s: exit %d (%v), want 1 for mandatory findings: %s", format, code, err, stderr)
				}
				// The stream ends as every failed preview's does (an error
				// diagnostic, a failed summary, a cancel event): no warning.
				if strings.Contains(string(stderr), "warning") {
					t.Errorf("--format %s: %s", format, stderr)
				}
				data, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				outs[format] = string(data)
				for _, v := range tc.secrets {
					if strings.Contains(string(data), v) || strings.Contains(string(stderr), v) {
						t.Errorf("--format %s: the secret %q is in the report", format, v)
					}
				}
			}
			got := sarifFindings(t, outs["sarif"])
			compareFindings(t, want, got)
			if tc.name == "ecs" {
				checkExemption(t, got)
			}

			// The Markdown and JSON reports count every finding.
			var doc struct {
				Summary  struct{ Findings, Mandatory, Advisory, Exempted int }
				Findings []struct{ Policy, URN string }
			}
			if err := json.Unmarshal([]byte(outs["json"]), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Summary.Findings != len(want) || len(doc.Findings) != len(want) {
				t.Errorf("JSON report: %d findings (summary %d), the preview %d", len(doc.Findings),
					doc.Summary.Findings, len(want))
			}
			headline := fmt.Sprintf("**%d findings** of selfhosted-hardening", len(want))
			if !strings.Contains(outs["markdown"], headline) {
				t.Errorf("markdown lacks %q:\n%s", headline, outs["markdown"])
			}

			// The Automation API's events, as JSON lines, give the same results.
			var lines strings.Builder
			for _, e := range autoEvents {
				b, err := json.Marshal(e)
				if err != nil {
					t.Fatal(err)
				}
				lines.Write(b)
				lines.WriteString("\n")
			}
			cmd := exec.Command(reporter, "--report-only", "--source-root", dir,
				"--project-file", filepath.Join(dir, "Pulumi.yaml"), "-")
			cmd.Stdin = strings.NewReader(lines.String())
			sarif, err := cmd.Output()
			if err != nil {
				t.Fatalf("reporter on the Automation API's events: %v", err)
			}
			fromAuto := sarifFindings(t, string(sarif))
			if !slices.Equal(fromAuto, got) {
				t.Errorf("the Automation API's events give other results:\n%v\nwant\n%v", fromAuto, got)
			}
		})
	}
}

// result is what the test compares of a SARIF result.
type result struct {
	Rule, Level, URN, Message, Fingerprint, Suppression string
	URI                                                 string
}

func sarifFindings(t *testing.T, out string) []result {
	t.Helper()
	var d struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []struct{ Kind, Justification string }
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Runs) != 1 {
		t.Fatalf("SARIF: %v (%d runs)", err, len(d.Runs))
	}
	var rs []result
	for _, r := range d.Runs[0].Results {
		x := result{Rule: r.RuleID, Level: r.Level, Message: r.Message.Text}
		if len(r.Locations) != 1 || len(r.Locations[0].LogicalLocations) != 1 {
			t.Errorf("%s: want one location with one logical location, got %+v", r.RuleID, r.Locations)
			continue
		}
		x.URN = r.Locations[0].LogicalLocations[0].FullyQualifiedName
		x.URI = r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		for _, fp := range r.PartialFingerprints {
			x.Fingerprint = fp
		}
		for _, s := range r.Suppressions {
			x.Suppression = s.Kind + ": " + s.Justification
		}
		rs = append(rs, x)
	}
	return rs
}

// compareFindings: each policy event is one result with its rule, level,
// resource and message, and there is no other result.
func compareFindings(t *testing.T, events []apitype.PolicyEvent, got []result) {
	t.Helper()
	left := slices.Clone(got)
	for _, e := range events {
		if e.PolicyPackName != "selfhosted-hardening" {
			t.Errorf("an event of another pack: %+v", e)
		}
		level := map[string]string{"mandatory": "error", "advisory": "warning"}[e.EnforcementLevel]
		i := slices.IndexFunc(left, func(r result) bool {
			return r.Rule == e.PolicyName && r.Level == level && r.URN == e.ResourceURN && r.Message == e.Message
		})
		if i < 0 {
			t.Errorf("no result for %s %s on %s: %q", e.EnforcementLevel, e.PolicyName, e.ResourceURN, e.Message)
			continue
		}
		if left[i].URI != "Pulumi.yaml" || left[i].Fingerprint == "" {
			t.Errorf("%s on %s: location %q, fingerprint %q", e.PolicyName, e.ResourceURN, left[i].URI,
				left[i].Fingerprint)
		}
		left = slices.Delete(left, i, i+1)
	}
	for _, r := range left {
		t.Errorf("a result no policy event accounts for: %+v", r)
	}
	t.Logf("%d policy events, %d results", len(events), len(got))
}

// checkExemption: the bucket exempted by its tag is a suppressed result
// with the tag's reason; no other result is suppressed.
func checkExemption(t *testing.T, got []result) {
	t.Helper()
	n := 0
	for _, r := range got {
		if r.Suppression == "" {
			continue
		}
		n++
		want := "inSource: tag selfhosted-hardening:exempt: " + exemptReason
		if r.Rule != "s3-bucket-encrypted" || !strings.HasSuffix(r.URN, "::access-logs") || r.Suppression != want ||
			r.Level != "warning" {
			t.Errorf("suppressed result %+v, want s3-bucket-encrypted on access-logs at warning with %q", r, want)
		}
	}
	if n != 1 {
		t.Errorf("%d suppressed results, want 1 (the exempted bucket)", n)
	}
}

// TestReportFromPolicyAnalyze deploys the ECS-shaped program (without the
// pack), exports its state, runs `pulumi policy analyze --file <state>
// --json` with the pack, and reports on that: every policy event is a
// result, and with --state the results on resources point at the line of
// this file that declares them, where the engine recorded it.
func TestReportFromPolicyAnalyze(t *testing.T) {
	reporter := testbin.Build(t, "./cmd/hardening-report", "hardening-report")
	w := setup(t)
	ctx := context.Background()
	dir := t.TempDir()
	s, err := w.Stack(ctx, project, "report-analyze", dir, ecsDemo, map[string]auto.ConfigValue{
		"dbPassword": {Value: reportDBPassword, Secret: true},
		"licenseKey": {Value: reportLicenseKey, Secret: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	dep, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	data, err := json.Marshal(dep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(w.Bin, "policy", "analyze", "--file", state, "--policy-pack", w.pack, "--json",
		"--non-interactive")
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range w.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		t.Fatalf("policy analyze passed; want it to fail on mandatory findings")
	}
	events := filepath.Join(dir, "analyze.json")
	if err := os.WriteFile(events, out, 0o600); err != nil {
		t.Fatal(err)
	}
	var want []apitype.PolicyEvent
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var e apitype.EngineEvent
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("policy analyze --json: %v\n%s\n%s", err, out, stderr.String())
		}
		if e.PolicyEvent != nil {
			want = append(want, *e.PolicyEvent)
		}
	}
	if len(want) == 0 {
		t.Fatalf("policy analyze reported no policy event:\n%s\n%s", out, stderr.String())
	}

	// The inline program's project folder is dir, and the engine records
	// positions relative to it; with the file system's root as the source
	// root, positions in this file are inside it.
	rep := exec.Command(reporter, "--report-only", "--source-root", "/", "--project-file",
		filepath.Join(dir, "Pulumi.yaml"), "--state", state, events)
	sarif, err := rep.Output()
	if err != nil {
		t.Fatalf("reporter: %v", err)
	}
	got := sarifFindings(t, string(sarif))
	for i := range got {
		got[i].URI = "Pulumi.yaml" // compareFindings checks the location apart
	}
	compareFindings(t, want, got)

	var d struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					} `json:"physicalLocation"`
					LogicalLocations []struct{ FullyQualifiedName string } `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &d); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("report_test.go")
	if err != nil {
		t.Fatal(err)
	}
	srcLines := strings.Split(string(src), "\n")
	located := 0
	for _, r := range d.Runs[0].Results {
		loc := r.Locations[0]
		urn := loc.LogicalLocations[0].FullyQualifiedName
		name := urn[strings.LastIndex(urn, "::")+2:]
		uri, line := loc.PhysicalLocation.ArtifactLocation.URI, loc.PhysicalLocation.Region.StartLine
		t.Logf("%s on %s: %s:%d", r.RuleID, name, uri, line)
		if !strings.HasSuffix(uri, "internal/e2e/report_test.go") {
			continue
		}
		located++
		if line < 1 || line > len(srcLines) || !strings.Contains(srcLines[line-1], `"`+name+`"`) {
			t.Errorf("%s on %s points at line %d, which does not declare it", r.RuleID, name, line)
		}
	}
	if located == 0 {
		t.Errorf("no result points at its resource's source line")
	}
}
