package hosted

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/bundle"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

const dbPassword = "hosted-Sup3r-Secret-Passw0rd"

var hostPlatform = testbin.HostPlatform

func TestMain(m *testing.M) {
	code := m.Run()
	testbin.Cleanup()
	os.Exit(code)
}

// gate skips the test unless SELFHOSTED_HARDENING_E2E=1 (scripts/test.sh sets
// it), like the other end-to-end tests, and returns the language host.
func gate(t testing.TB) string {
	t.Helper()
	if os.Getenv("SELFHOSTED_HARDENING_E2E") != "1" {
		t.Skip("end-to-end test: set SELFHOSTED_HARDENING_E2E=1 (scripts/test.sh does)")
	}
	testbin.CLI(t)
	return testbin.LanguageHost(t)
}

// newWorld is a CLI set-up (private PULUMI_HOME, file backend, the stand-in
// AWS provider internal/e2e/fakeaws, a test double) whose CLI finds the Go
// language host, with an extraction cache of its own for the bundle's
// launcher. It returns the world and that cache folder.
func newWorld(t testing.TB, host string, extra map[string]string) (*clienv.World, string) {
	t.Helper()
	cache := filepath.Join(t.TempDir(), "pack-cache")
	env := map[string]string{"PULUMI_SKIP_CHECKPOINTS": "true", bundle.CacheEnv(policies.Name): cache}
	// To time these tests as a fresh runner runs them, give the language
	// host's go builds (the pack, the bundle's launcher, the Go program) a
	// build cache of their own: SELFHOSTED_HARDENING_HOST_GOCACHE=<empty dir>.
	if d := os.Getenv("SELFHOSTED_HARDENING_HOST_GOCACHE"); d != "" {
		env["GOCACHE"] = d
	}
	for k, v := range extra {
		env[k] = v
	}
	w, err := clienv.New(testbin.CLIRoot(), testbin.FakeAWS(t), env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	if err := w.UseLanguageHost(host); err != nil {
		t.Fatal(err)
	}
	return w, cache
}

// goProgram writes testdata/program as a Pulumi Go project into a new folder
// and returns the folder.
func goProgram(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "program", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), name)
	if err := clienv.GoProject(dir, testbin.Root(), name, src); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeConfig(t testing.TB, cfg map[string]any) string {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "policy-config.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// finding is a policy event as compared between runs.
type finding struct{ policy, resource, level, message string }

func findings(events []apitype.PolicyEvent) []finding {
	var out []finding
	for _, e := range events {
		res := e.ResourceURN
		if i := strings.LastIndex(res, "::"); i >= 0 {
			res = res[i+2:]
		}
		out = append(out, finding{e.PolicyName, res, e.EnforcementLevel, e.Message})
	}
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func mandatory(events []apitype.PolicyEvent) []string {
	var out []string
	for _, f := range findings(events) {
		if f.level == "mandatory" {
			out = append(out, f.policy+" on "+f.resource)
		}
	}
	return out
}

// wantMandatory are the mandatory findings on testdata/program.
var wantMandatory = []string{"rds-storage-encrypted on db", "s3-bucket-encrypted on bare"}

func noSecret(t *testing.T, o clienv.Outcome) {
	t.Helper()
	if strings.Contains(o.Output, dbPassword) {
		t.Error("the secret appears in the CLI output")
	}
	for _, e := range o.Policies {
		if strings.Contains(e.Message, dbPassword) {
			t.Errorf("the secret appears in a policy message: %+v", e)
		}
	}
}

// TestPolicyPackDirectory previews a real Go project directory (Pulumi.yaml,
// runtime: go; the CLI builds and runs it through the Go language host) with
// the pack given three ways: the pack binary, the repository root (exactly the
// README's `pulumi preview --policy-pack /path/to/selfhosted-hardening`, the
// host builds the pack) and the `make dist` bundle (the host builds the
// launcher, which extracts and runs the prebuilt binary). The findings must be
// the same, the preview must fail on the two mandatory ones, and a
// --policy-pack-config must apply to the directory forms.
func TestPolicyPackDirectory(t *testing.T) {
	host := gate(t)
	w, cache := newWorld(t, host, nil)
	ctx := context.Background()
	s, err := w.ProjectStack(ctx, "dir", goProgram(t, "hosted"), map[string]auto.ConfigValue{
		"dbPassword": {Value: dbPassword, Secret: true},
	})
	if err != nil {
		t.Fatal(err)
	}

	packs := []struct{ name, path string }{
		{"binary", testbin.Pack(t)},
		{"repository root", testbin.Root()},
		{"make dist bundle", testbin.Dist(t)},
	}
	var reference []finding
	for _, p := range packs {
		o := clienv.Preview(ctx, s, optpreview.PolicyPacks(p.path))
		t.Logf("preview with the pack as the %s: %v", p.name, o.Elapsed.Round(10*time.Millisecond))
		if o.Err == nil {
			t.Errorf("%s: the preview passed; the mandatory findings must fail it\n%s", p.name, o.Output)
		}
		if got := mandatory(o.Policies); strings.Join(got, ", ") != strings.Join(wantMandatory, ", ") {
			t.Errorf("%s: mandatory findings %v, want %v\n%s", p.name, got, wantMandatory, o.Output)
		}
		for _, e := range o.Policies {
			if e.PolicyPackName != policies.Name || e.PolicyPackVersion != policies.Version {
				t.Errorf("%s: finding from pack %s %s: %+v", p.name, e.PolicyPackName, e.PolicyPackVersion, e)
			}
		}
		noSecret(t, o)
		got := findings(o.Policies)
		if reference == nil {
			reference = got
		} else if fmt.Sprint(got) != fmt.Sprint(reference) {
			t.Errorf("%s: findings differ from the pack binary's:\n%v\nbinary:\n%v", p.name, got, reference)
		}
	}
	if files := listFiles(t, cache); len(files) != 1 || !strings.HasSuffix(files[0], bundle.BinaryName(policies.Name, hostPlatform)) {
		t.Errorf("the launcher's cache holds %v: the bundle's pack did not run through the launcher", files)
	}

	cfg := writeConfig(t, map[string]any{
		"rds-storage-encrypted": "advisory",
		"s3-bucket-encrypted":   map[string]any{"enforcementLevel": "disabled"},
	})
	for _, p := range packs[1:] {
		o := clienv.Preview(ctx, s, optpreview.PolicyPacks(p.path), optpreview.PolicyPackConfigs(cfg))
		if o.Err != nil {
			t.Errorf("%s with --policy-pack-config: both policies relaxed, the preview must pass: %v\n%s", p.name, o.Err, o.Output)
		}
		if got := mandatory(o.Policies); len(got) != 0 {
			t.Errorf("%s with --policy-pack-config: mandatory findings %v", p.name, got)
		}
		var db []string
		for _, f := range findings(o.Policies) {
			if f.policy == "s3-bucket-encrypted" {
				t.Errorf("%s: the disabled policy reported %+v", p.name, f)
			}
			if f.policy == "rds-storage-encrypted" {
				db = append(db, f.resource+" "+f.level)
			}
		}
		if strings.Join(db, ",") != "db advisory" {
			t.Errorf("%s: rds-storage-encrypted findings %v, want one advisory on db", p.name, db)
		}
	}
}

// listFiles lists the regular files under dir, as slash paths relative to it.
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}
