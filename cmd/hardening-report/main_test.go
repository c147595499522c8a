package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// constructed is a hand-made log: this pack's violations (one exempted by
// tag, one by the exclude list), an unverifiable advisory, two findings of
// one policy on one resource, a stack finding without a URN, another pack's
// findings (one under a Pulumi policy exception), and a secret value in
// places a report must never copy (config, inputs, a diagnostic).
const (
	constructed = "testdata/constructed.jsonl"
	// secretValue is the plain secret the constructed log holds outside
	// policy messages.
	secretValue = "s3cr3t-Value-From-Inputs"
)

// reportRun runs the command and returns its output, error output and
// exit status.
func reportRun(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// sarifDoc is the part of SARIF the tests read.
type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string                `json:"id"`
					Name             string                `json:"name"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					FullDescription  struct{ Text string } `json:"fullDescription"`
					Help             struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string         `json:"helpUri"`
					Properties           map[string]any `json:"properties"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name               string `json:"name"`
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Status        string `json:"status"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
		} `json:"invocations"`
	} `json:"runs"`
}

func parseSARIF(t *testing.T, out string) *sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, out)
	}
	if d.Version != "2.1.0" || len(d.Runs) != 1 {
		t.Fatalf("want one SARIF 2.1.0 run, got version %q and %d runs", d.Version, len(d.Runs))
	}
	return &d
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// sarifSchema compiles the OASIS SARIF 2.1.0 schema from
// ../shared/reference beside the repository. Without that copy the test
// skips, except under CI=true, where it fails.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "reference", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and the OASIS SARIF schema is missing: %v", err)
		}
		t.Skipf("no OASIS SARIF schema at %s (../shared/reference beside the repository); "+
			"under CI=true this fails", path)
	}
	schemaOnce.Do(func() {
		c := jsonschema.NewCompiler()
		schema, schemaErr = c.Compile(path)
	})
	if schemaErr != nil {
		t.Fatalf("compiling the SARIF schema: %v", schemaErr)
	}
	return schema
}

func validateSARIF(t *testing.T, out string) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Fatalf("SARIF does not validate against the OASIS 2.1.0 schema: %v", err)
	}
}

// TestSARIFValidates: the SARIF of every test log, and of an empty report,
// validates against the OASIS SARIF 2.1.0 schema.
func TestSARIFValidates(t *testing.T) {
	logs, _ := filepath.Glob("testdata/*.jsonl")
	if len(logs) == 0 {
		t.Fatal("no test logs")
	}
	for _, l := range logs {
		t.Run(filepath.Base(l), func(t *testing.T) {
			out, errOut, code := reportRun(t, "", "--report-only", l)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			validateSARIF(t, out)
		})
	}
	t.Run("no findings", func(t *testing.T) {
		out, errOut, code := reportRun(t, failedPreview, "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		validateSARIF(t, out)
	})
}

// TestGitHubRules checks GitHub code scanning's upload rules: every rule has
// an id (unique) and a security-severity that is a string in 0.1-10; every
// result names a rule of the run, has a physical location with a line and a
// partial fingerprint.
func TestGitHubRules(t *testing.T) {
	out, _, _ := reportRun(t, "", constructed)
	d := parseSARIF(t, out)
	run := d.Runs[0]
	ids := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if r.ID == "" {
			t.Errorf("rule %d has no id", i)
		}
		if _, dup := ids[r.ID]; dup {
			t.Errorf("rule id %s twice", r.ID)
		}
		ids[r.ID] = i
		sev, ok := r.Properties["security-severity"]
		if !ok {
			// Only the policy whose events give no severity may lack one.
			if r.ID != "aws-guard/s3-versioning" {
				t.Errorf("rule %s: no security-severity", r.ID)
			}
			continue
		}
		s, isString := sev.(string)
		if !isString {
			t.Errorf("rule %s: security-severity %v is a %T, GitHub wants a string", r.ID, sev, sev)
			continue
		}
		if f, err := strconv.ParseFloat(s, 64); err != nil || f < 0.1 || f > 10 {
			t.Errorf("rule %s: security-severity %q is not a number in 0.1-10", r.ID, s)
		}
	}
	if len(run.Results) != 10 {
		t.Errorf("want 10 results (11 policy events, one an exact repeat), got %d", len(run.Results))
	}
	for i, r := range run.Results {
		idx, ok := ids[r.RuleID]
		if !ok || idx != r.RuleIndex {
			t.Errorf("result %d: rule %q index %d, not a rule of the run (index %d)", i, r.RuleID, r.RuleIndex, idx)
		}
		if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation == nil ||
			r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" ||
			r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result %d (%s): no physical location with a line", i, r.RuleID)
		}
		if r.PartialFingerprints[fingerprintKey] == "" {
			t.Errorf("result %d (%s): no partial fingerprint", i, r.RuleID)
		}
		if r.Message.Text == "" {
			t.Errorf("result %d (%s): no message", i, r.RuleID)
		}
	}
}

// TestRulesFromPack: this pack's rules carry the pack's own metadata.
func TestRulesFromPack(t *testing.T) {
	out, _, _ := reportRun(t, "", constructed)
	run := parseSARIF(t, out).Runs[0]
	if run.Tool.Driver.Name != policies.Name || run.Tool.Driver.Version != policies.Version {
		t.Errorf("driver %s %s, want %s %s", run.Tool.Driver.Name, run.Tool.Driver.Version, policies.Name,
			policies.Version)
	}
	byID := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		byID[r.ID] = i
	}
	sev := map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
	for _, p := range policies.Pack().Policies {
		i, ok := byID[p.Name]
		if !ok {
			t.Errorf("no rule for policy %s", p.Name)
			continue
		}
		r := run.Tool.Driver.Rules[i]
		if r.ShortDescription.Text != p.DisplayName || r.FullDescription.Text != p.Description {
			t.Errorf("%s: descriptions %q / %q", p.Name, r.ShortDescription.Text, r.FullDescription.Text)
		}
		if r.HelpURI != p.Section.URL {
			t.Errorf("%s: helpUri %q, want the guide section %q", p.Name, r.HelpURI, p.Section.URL)
		}
		if !strings.Contains(r.Help.Text, p.Remediation) || !strings.Contains(r.Help.Markdown, p.Section.URL) {
			t.Errorf("%s: help lacks the remediation or the guide link", p.Name)
		}
		var tags []string
		for _, x := range r.Properties["tags"].([]any) {
			tags = append(tags, x.(string))
		}
		for _, want := range p.Tags() {
			if !slices.Contains(tags, want) {
				t.Errorf("%s: tags %v lack %s", p.Name, tags, want)
			}
		}
		for _, c := range p.Controls {
			if !strings.Contains(r.Help.Markdown, c.URL) {
				t.Errorf("%s: help lacks control %s's URL", p.Name, c.Tag())
			}
		}
		if got := r.Properties["security-severity"]; got != sev[p.Severity.String()] {
			t.Errorf("%s: security-severity %v for severity %s", p.Name, got, p.Severity)
		}
		want := "warning"
		if p.Level.String() == "mandatory" {
			want = "error"
		}
		if r.DefaultConfiguration.Level != want {
			t.Errorf("%s: default level %s, want %s", p.Name, r.DefaultConfiguration.Level, want)
		}
	}
}

// TestResults: each finding of the constructed log is one result with its
// rule, level, resource and suppression.
func TestResults(t *testing.T) {
	out, _, _ := reportRun(t, "", constructed)
	run := parseSARIF(t, out).Runs[0]
	type want struct {
		rule, name, level, suppression string
	}
	tests := []want{
		{"s3-bucket-encrypted", "bare", "error", ""},
		{"s3-bucket-encrypted", "logs", "warning",
			"inSource: tag selfhosted-hardening:exempt: access logs, encrypted by the bucket policy"},
		{"rds-storage-encrypted", "db", "warning",
			`external: policy config rds-storage-encrypted.exclude entry "db"`},
		{"database-in-private-subnets", "db", "warning", ""},
		{"load-balancer-tls", "web::http", "error", ""},
		{"load-balancer-tls", "web::http", "error", ""},
		{"smtp-configured", "shop-dev", "warning", ""},
		{"stack-config-secrets", "shop-dev", "error", ""},
		{"aws-guard/s3-versioning", "bare", "error", "external: policy exception EXC-7: scratch bucket"},
		{"aws-guard/deletion-protection", "db", "warning", ""},
	}
	var got []want
	for _, r := range run.Results {
		w := want{rule: r.RuleID, name: r.Locations[0].LogicalLocations[0].Name, level: r.Level}
		for _, s := range r.Suppressions {
			if s.Status != "accepted" {
				t.Errorf("%s on %s: suppression status %q", w.rule, w.name, s.Status)
			}
			w.suppression = s.Kind + ": " + s.Justification
		}
		urn := r.Locations[0].LogicalLocations[0].FullyQualifiedName
		if !strings.HasPrefix(urn, "urn:pulumi:dev::shop::") {
			t.Errorf("%s on %s: logical location %q is not the URN", w.rule, w.name, urn)
		}
		got = append(got, w)
	}
	for _, w := range tests {
		i := slices.Index(got, w)
		if i < 0 {
			t.Errorf("no result %+v", w)
			continue
		}
		got = slices.Delete(got, i, i+1)
	}
	for _, g := range got {
		t.Errorf("unexpected result %+v", g)
	}
}

// TestFingerprints: fingerprints do not change between runs or with the
// order of the events, differ between findings, and depend on the policy
// and the URN only (not on the message).
func TestFingerprints(t *testing.T) {
	data, err := os.ReadFile(constructed)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	reversed := slices.Clone(lines)
	slices.Reverse(reversed)
	changed := strings.ReplaceAll(string(data), "no server-side encryption configuration",
		"no server-side encryption configuration at all")

	prints := func(stdin string) map[string]string {
		out, _, _ := reportRun(t, stdin, "-")
		m := map[string]string{}
		for _, r := range parseSARIF(t, out).Runs[0].Results {
			m[r.RuleID+" "+r.Locations[0].LogicalLocations[0].FullyQualifiedName+" "+r.Message.Text] =
				r.PartialFingerprints[fingerprintKey]
		}
		return m
	}
	first := prints(string(data))
	if again := prints(string(data)); !reflect.DeepEqual(first, again) {
		t.Errorf("fingerprints differ between two runs on one log")
	}
	if rev := prints(strings.Join(reversed, "\n")); !reflect.DeepEqual(first, rev) {
		t.Errorf("fingerprints depend on the order of the events:\n%v\n%v", first, rev)
	}
	seen := map[string]string{}
	for k, fp := range first {
		if other, dup := seen[fp]; dup {
			t.Errorf("%s and %s share fingerprint %s", k, other, fp)
		}
		seen[fp] = k
	}
	// A reworded message keeps the fingerprint.
	var before, after []string
	for _, fp := range first {
		before = append(before, fp)
	}
	for _, fp := range prints(changed) {
		after = append(after, fp)
	}
	slices.Sort(before)
	slices.Sort(after)
	if !slices.Equal(before, after) {
		t.Errorf("rewording a message changed the fingerprints")
	}
}

// TestMarkdown: counts by severity and level, sections in the guide's
// order, the fix beside each finding, text escaped for tables.
func TestMarkdown(t *testing.T) {
	out, _, code := reportRun(t, "", "--format", "markdown", constructed)
	if code != exitMandatory {
		t.Errorf("exit %d, want %d (mandatory findings)", code, exitMandatory)
	}
	for _, want := range []string{
		"**10 findings** of selfhosted-hardening 0.1.0, aws-guard 1.2.0: 4 mandatory, 3 advisory, 3 exempted.",
		"| critical | 1 | 0 | 0 | 1 |",
		"| high | 3 | 1 | 2 | 6 |",
		"| medium | 0 | 1 | 0 | 1 |",
		"| low | 0 | 1 | 0 | 1 |",
		"| unspecified | 0 | 0 | 1 | 1 |",
		"| mandatory | high | `s3-bucket-encrypted` | `bare` (aws:s3/bucketV2:BucketV2) | " +
			`aws:s3/bucketV2:BucketV2 "bare": no server-side encryption configuration | ` +
			"Add an aws.s3.BucketServerSideEncryptionConfigurationV2 for the bucket. |",
		`does not redirect \| to HTTPS &lt;b&gt;`,
		"advisory, exempted: tag selfhosted-hardening:exempt: access logs, encrypted by the bucket policy",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<b>") {
		t.Errorf("markdown renders HTML from a message")
	}
	var order []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "### ") {
			order = append(order, l)
		}
	}
	wantOrder := []string{"Network security", "Encryption (at rest)", "Encryption (secrets)",
		"Encryption in transit", "SMTP and email", "Policy pack aws-guard"}
	if len(order) != len(wantOrder) {
		t.Fatalf("sections %v, want %v", order, wantOrder)
	}
	for i, w := range wantOrder {
		if !strings.Contains(order[i], w) {
			t.Errorf("section %d is %q, want %s", i, order[i], w)
		}
	}
}

// TestJSON: the normalised findings.
func TestJSON(t *testing.T) {
	out, _, _ := reportRun(t, "", "--format", "json", constructed)
	var doc struct {
		Packs    map[string]string
		Summary  jsonSummary
		Findings []Finding
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary != (jsonSummary{Findings: 10, Mandatory: 4, Advisory: 3, Exempted: 3}) {
		t.Errorf("summary %+v", doc.Summary)
	}
	if doc.Packs["selfhosted-hardening"] != "0.1.0" || doc.Packs["aws-guard"] != "1.2.0" {
		t.Errorf("packs %v", doc.Packs)
	}
	var lb *Finding
	for i := range doc.Findings {
		if doc.Findings[i].Policy == "load-balancer-tls" && strings.Contains(doc.Findings[i].Summary, "SSL policy") {
			lb = &doc.Findings[i]
		}
	}
	if lb == nil {
		t.Fatal("no load-balancer-tls finding on the SSL policy")
	}
	p := policies.Pack().Policy("load-balancer-tls")
	// The URN has a parent type and a name holding "::".
	want := Finding{
		Policy: "load-balancer-tls", Pack: "selfhosted-hardening", PackVersion: "0.1.0", Level: "mandatory",
		Severity: "high", URN: "urn:pulumi:dev::shop::my:app:Component$aws:lb/listener:Listener::web::http",
		Type: "aws:lb/listener:Listener", Name: "web::http",
		Summary:  `aws:lb/listener:Listener "web::http": the listener's SSL policy is not TLS 1.2+`,
		Fix:      "Use ELBSecurityPolicy-TLS13-1-2-2021-06.",
		Section:  &Section{Tag: p.Section.Tag, Title: p.Section.Title, URL: p.Section.URL},
		Location: &Location{URI: "Pulumi.yaml", Line: 1},
	}
	for _, c := range p.Controls {
		want.Controls = append(want.Controls, Control{ID: c.Tag(), Title: c.Title, URL: c.URL})
	}
	got := *lb
	got.Message, got.Fingerprint = "", ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("finding\n%+v\nwant\n%+v", got, want)
	}
	if len(want.Controls) == 0 {
		t.Errorf("load-balancer-tls has no controls in the pack: the test checks nothing of them")
	}
}

// TestNoSecrets: a secret value the log holds in config, inputs and a
// diagnostic appears in no report.
func TestNoSecrets(t *testing.T) {
	data, err := os.ReadFile(constructed)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), secretValue) {
		t.Fatal("the constructed log lost its secret value: the test checks nothing")
	}
	for _, format := range []string{"sarif", "markdown", "json"} {
		out, errOut, _ := reportRun(t, "", "--format", format, constructed)
		if strings.Contains(out+errOut, secretValue) {
			t.Errorf("--format %s: the secret value is in the output", format)
		}
	}
}

// TestExitStatus: 1 with a mandatory finding no exemption covers, 0 with
// --report-only or when every mandatory finding is excepted, 2 on bad flags.
func TestExitStatus(t *testing.T) {
	excepted := `{"sequence":1,"policyEvent":{"resourceUrn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b",` +
		`"message":"m","policyName":"x","policyPackName":"other","policyPackVersion":"1",` +
		`"enforcementLevel":"mandatory","exceptions":[{"id":"EXC-1","reason":"r"}]}}` + "\n" + summaryOK
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  int
	}{
		{"mandatory", "", []string{constructed}, exitMandatory},
		{"report only", "", []string{"--report-only", constructed}, exitOK},
		{"excepted mandatory", excepted, []string{"-"}, exitOK},
		{"advisory only", advisoryOnly, []string{"-"}, exitOK},
		{"bad format", "", []string{"--format", "xml", constructed}, exitUsage},
		{"no input", "", nil, exitUsage},
		{"two inputs", "", []string{constructed, constructed}, exitUsage},
		{"missing file", "", []string{"testdata/no-such.jsonl"}, exitUsage},
		{"project file outside the root", "", []string{"--project-file", "../../../Pulumi.yaml", constructed},
			exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := reportRun(t, tt.stdin, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, errOut)
			}
		})
	}
}

const (
	summaryOK = `{"sequence":9,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{},` +
		`"PolicyPacks":{"selfhosted-hardening":"v0.1.0"},"isPreview":true,"result":"succeeded"}}` + "\n"
	advisoryOnly = `{"sequence":1,"policyEvent":{"message":"Stack: no SMTP","policyName":"smtp-configured",` +
		`"policyPackName":"selfhosted-hardening","policyPackVersion":"0.1.0","enforcementLevel":"advisory",` +
		`"severity":"low"}}` + "\n" + summaryOK
	// failedPreview is a preview that failed before any policy ran: the
	// program's error, then the summary.
	failedPreview = `{"sequence":0,"preludeEvent":{"config":{}}}` + "\n" +
		`{"sequence":1,"diagnosticEvent":{"message":"error: program failed: ` + secretValue + `\n",` +
		`"color":"never","severity":"error"}}` + "\n" +
		`{"sequence":2,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{},` +
		`"PolicyPacks":{"selfhosted-hardening":"v0.1.0"},"isPreview":true,"result":"failed"}}` + "\n"
)

// TestBadInput: a cut, malformed, empty or foreign input is a clear error
// (exit 2, nothing on standard output); a log with nothing wrong but no
// findings (a failed preview, another pack's events only) is a valid report
// in every format. Never a panic.
func TestBadInput(t *testing.T) {
	data, err := os.ReadFile(constructed)
	if err != nil {
		t.Fatal(err)
	}
	otherOnly := `{"sequence":1,"policyEvent":{"resourceUrn":"urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b",` +
		`"message":"versioning","policyName":"v","policyPackName":"other","policyPackVersion":"2",` +
		`"enforcementLevel":"advisory"}}` + "\n"
	tests := []struct {
		name  string
		stdin string
		// wantErr is a part of the error; "" when a report is due.
		wantErr string
		// wantResults is the number of SARIF results of a report.
		wantResults int
		// wantProblem is a part of the report's warning, when one is due.
		wantProblem string
	}{
		{name: "empty", stdin: "", wantErr: "holds no engine events"},
		{name: "blank lines", stdin: "\n\n  \n", wantErr: "holds no engine events"},
		{name: "truncated", stdin: string(data[:len(data)*2/3]), wantErr: "ends in the middle of an event"},
		{name: "malformed line", stdin: summaryOK + "Previewing update (dev):\n", wantErr: "standard input:2: not JSON"},
		{name: "not an event", stdin: `{"hello":"world"}` + "\n", wantErr: "names no event type"},
		{name: "a string", stdin: `"hello"` + "\n", wantErr: "not an engine event"},
		{name: "preview digest", stdin: `{"config":{},"steps":[],"duration":1}`, wantErr: "PULUMI_ENABLE_STREAMING_JSON_PREVIEW"},
		{name: "bad array", stdin: `[1,2]`, wantErr: "event 0 of the array"},
		{name: "failed preview", stdin: failedPreview, wantProblem: "the operation failed (1 error diagnostics"},
		{name: "no summary", stdin: advisoryOnly[:strings.Index(advisoryOnly, "\n")+1], wantResults: 1,
			wantProblem: "no summary event"},
		{name: "other packs only", stdin: otherOnly + summaryOK, wantResults: 1},
		// The CLI ends every log with a cancel event.
		{name: "cancel event", stdin: summaryOK + `{"sequence":10,"cancelEvent":{}}` + "\n"},
		{name: "cancelled", stdin: strings.Replace(summaryOK, "succeeded", "canceled", 1), wantProblem: "cancelled"},
		{name: "newer event type", stdin: `{"sequence":1,"someNewEvent":{"x":1}}` + "\n" + summaryOK},
		{name: "array of events", stdin: "[" + strings.TrimSpace(advisoryOnly[:strings.Index(advisoryOnly, "\n")]) +
			"," + strings.TrimSpace(summaryOK) + "]", wantResults: 1},
		{name: "events object", stdin: `{"events":[` + strings.TrimSpace(summaryOK) + `],"continuationToken":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"sarif", "markdown", "json"} {
				out, errOut, code := reportRun(t, tt.stdin, "--format", format, "-")
				if tt.wantErr != "" {
					if code != exitUsage || !strings.Contains(errOut, tt.wantErr) || out != "" {
						t.Errorf("%s: exit %d, stderr %q, stdout %d bytes; want exit 2 and an error with %q",
							format, code, errOut, len(out), tt.wantErr)
					}
					continue
				}
				if code != exitOK {
					t.Errorf("%s: exit %d: %s", format, code, errOut)
				}
				if strings.Contains(out+errOut, secretValue) {
					t.Errorf("%s: a diagnostic's text reached the report", format)
				}
				if tt.wantProblem != "" && (!strings.Contains(errOut, tt.wantProblem) ||
					!strings.Contains(strings.ToLower(out), strings.ToLower(tt.wantProblem))) {
					t.Errorf("%s: the warning %q is not in both the report and stderr:\n%s\n%s", format,
						tt.wantProblem, errOut, out)
				}
				if format == "sarif" {
					d := parseSARIF(t, out)
					if n := len(d.Runs[0].Results); n != tt.wantResults {
						t.Errorf("%d results, want %d", n, tt.wantResults)
					}
					if ok := d.Runs[0].Invocations[0].ExecutionSuccessful; ok != (tt.wantProblem == "") {
						t.Errorf("executionSuccessful %v with problem %q", ok, tt.wantProblem)
					}
					validateSARIF(t, out)
				}
			}
		})
	}
}

// TestSourcePositions: with --state, a finding points at the line the
// engine recorded for its resource (relative to the project's folder);
// without a position, or with one outside the source root, at the project
// file.
func TestSourcePositions(t *testing.T) {
	root := t.TempDir()
	state := filepath.Join(root, "state.json")
	const S = "urn:pulumi:dev::shop::"
	if err := os.WriteFile(state, []byte(`{"version":3,"deployment":{"resources":[`+
		`{"urn":"`+S+`aws:s3/bucketV2:BucketV2::bare","sourcePosition":"project:///main.go#42,7",`+
		`"outputs":{"secret":"`+secretValue+`"}},`+
		`{"urn":"`+S+`aws:rds/cluster:Cluster::db","sourcePosition":"project:///../../elsewhere.go#3"},`+
		`{"urn":"`+S+`aws:s3/bucketV2:BucketV2::logs","sourcePosition":"project:///db.go#bad"}]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(constructed)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, _ := reportRun(t, "", "--format", "json", "--source-root", root, "--project-file",
		filepath.Join(root, "infra", "Pulumi.yaml"), "--state", state, abs)
	if strings.Contains(out+errOut, secretValue) {
		t.Errorf("a value of the state reached the report")
	}
	var doc struct{ Findings []Finding }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	want := map[string]Location{
		"bare":     {URI: "infra/main.go", Line: 42, Column: 7, FromSource: true},
		"db":       {URI: "infra/Pulumi.yaml", Line: 1},
		"logs":     {URI: "infra/Pulumi.yaml", Line: 1},
		"shop-dev": {URI: "infra/Pulumi.yaml", Line: 1},
	}
	for _, f := range doc.Findings {
		if w, ok := want[f.Name]; ok && *f.Location != w {
			t.Errorf("%s on %s: location %+v, want %+v", f.Policy, f.Name, *f.Location, w)
		}
	}
	_, errOut, code := reportRun(t, "", "--state", filepath.Join(root, "nothing.json"), abs)
	if code != exitUsage || !strings.Contains(errOut, "--state") {
		t.Errorf("a missing state file: exit %d, %s", code, errOut)
	}
}

// TestImportGraph: the pack binary does not import the reporter's SARIF and
// JSON-schema libraries.
func TestImportGraph(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/selfhosted-hardening/selfhosted-hardening/policies") {
		t.Fatalf("go list ran in the wrong folder: %v", deps[:min(5, len(deps))])
	}
	for _, d := range deps {
		if strings.Contains(d, "go-sarif") || strings.Contains(d, "jsonschema") ||
			strings.Contains(d, "cmd/hardening-report") {
			t.Errorf("the pack binary imports %s", d)
		}
	}
}

// TestRecordedPreviews runs on the events the real CLI v3.274.1 streamed
// (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json) for the
// end-to-end test's ECS and EKS programs (recorded with
// SELFHOSTED_HARDENING_RECORD_EVENTS): one result per policy event with its
// rule and level, the ordinary end of a failed preview (an error
// diagnostic, a cancel event) taken for a finished run, the pack's name
// read from the summary's "<name>|local|<path>" key, and the plain-text
// secrets the EKS program's inputs hold in no report.
func TestRecordedPreviews(t *testing.T) {
	tests := []struct {
		log       string
		events    int
		mandatory int
		secrets   []string
	}{
		{log: "testdata/ecs-preview.jsonl", events: 13, mandatory: 10},
		{log: "testdata/eks-preview.jsonl", events: 19, mandatory: 13, secrets: []string{
			"eks-ConfigMap-Smtp-Passw0rd", "eks-ConfigMap-Db-Passw0rd", "eks-Literal-GitHub-OAuth-S3cret"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.log), func(t *testing.T) {
			data, err := os.ReadFile(tt.log)
			if err != nil {
				t.Fatal(err)
			}
			var levels []string
			for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				var e struct {
					PolicyEvent *struct{ PolicyName, EnforcementLevel string }
				}
				if err := json.Unmarshal([]byte(l), &e); err != nil {
					t.Fatal(err)
				}
				if e.PolicyEvent != nil {
					levels = append(levels, e.PolicyEvent.PolicyName+" "+sarifLevel(e.PolicyEvent.EnforcementLevel))
				}
			}
			if len(levels) != tt.events {
				t.Fatalf("the log holds %d policy events, want %d", len(levels), tt.events)
			}
			for _, s := range tt.secrets {
				if !strings.Contains(string(data), s) {
					t.Fatalf("the log lacks %q: the secret check checks nothing", s)
				}
			}
			out, errOut, code := reportRun(t, "", tt.log)
			if code != exitMandatory || strings.Contains(errOut, "warning") {
				t.Errorf("exit %d, stderr %q: want 1 and no warning", code, errOut)
			}
			d := parseSARIF(t, out)
			var got []string
			for _, r := range d.Runs[0].Results {
				if policies.Pack().Policy(r.RuleID) == nil {
					t.Errorf("result of rule %q, not a policy of the pack", r.RuleID)
				}
				got = append(got, r.RuleID+" "+r.Level)
			}
			slices.Sort(levels)
			slices.Sort(got)
			if !slices.Equal(got, levels) {
				t.Errorf("results\n%v\nwant\n%v", got, levels)
			}
			if !d.Runs[0].Invocations[0].ExecutionSuccessful {
				t.Errorf("executionSuccessful false for a preview that ended normally")
			}
			jsonOut, _, _ := reportRun(t, "", "--format", "json", tt.log)
			var doc struct {
				Packs   map[string]string
				Summary jsonSummary
			}
			if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Packs, map[string]string{"selfhosted-hardening": "0.1.0"}) {
				t.Errorf("packs %v", doc.Packs)
			}
			if doc.Summary.Mandatory != tt.mandatory {
				t.Errorf("%d mandatory, want %d", doc.Summary.Mandatory, tt.mandatory)
			}
			mdOut, _, _ := reportRun(t, "", "--format", "markdown", tt.log)
			for _, s := range tt.secrets {
				if strings.Contains(out+jsonOut+mdOut, s) {
					t.Errorf("the secret %q is in a report", s)
				}
			}
		})
	}
}
