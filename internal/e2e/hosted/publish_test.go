package hosted

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/bundle"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/cloudstub"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

const (
	org       = "acme"
	stackName = org + "/hosted/dev"
)

// cloud is a CLI logged in to a fresh stand-in Pulumi Cloud service
// (internal/cloudstub, a test double), with a stack on it.
type cloud struct {
	svc   *cloudstub.Service
	w     *clienv.World
	cache string // the launcher's extraction cache
	stack auto.Stack
}

// newCloud starts the stand-in service, logs the CLI in with `pulumi login
// <url>` (the access token in PULUMI_ACCESS_TOKEN, as in CI) and creates the
// stack acme/hosted/dev of an inline program, violating, on it.
func newCloud(t testing.TB, host string, extra map[string]string) *cloud {
	t.Helper()
	svc, err := cloudstub.Start(org, "alice", "pul-stand-in-token")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	env := map[string]string{"PULUMI_ACCESS_TOKEN": svc.Token}
	for k, v := range extra {
		env[k] = v
	}
	w, cache := newWorld(t, host, env)
	delete(w.Env, "PULUMI_BACKEND_URL") // the login decides the backend
	if out, err := w.Run(w.Dir, "login", svc.URL); err != nil || !strings.Contains(out, "Logged in to") {
		t.Fatalf("pulumi login %s: %v\n%s\nunhandled: %v", svc.URL, err, out, svc.Unhandled())
	}
	s, err := auto.UpsertStackInlineSource(context.Background(), stackName, "hosted", violating,
		auto.Pulumi(w.CLI), auto.EnvVars(w.Env), auto.PulumiHome(w.Env["PULUMI_HOME"]), auto.WorkDir(t.TempDir()))
	if err != nil {
		t.Fatalf("stack %s: %v\nunhandled: %v", stackName, err, svc.Unhandled())
	}
	ctx := context.Background()
	if err := s.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-west-2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConfig(ctx, "dbPassword", auto.ConfigValue{Value: dbPassword, Secret: true}); err != nil {
		t.Fatal(err)
	}
	return &cloud{svc: svc, w: w, cache: cache, stack: s}
}

// run runs the CLI in dir and fails the test when it fails.
func (c *cloud) run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := c.w.Run(dir, args...)
	if err != nil {
		t.Fatalf("pulumi %s: %v\n%s\nunhandled by the stand-in service: %v", strings.Join(args, " "), err, out, c.svc.Unhandled())
	}
	return out
}

// publish runs `pulumi policy publish acme` in dir (a pack folder). Publish
// runs the pack for its metadata: it does so with an extraction cache of its
// own, as on the publisher's machine, apart from the runner's.
func (c *cloud) publish(t testing.TB, dir string) {
	t.Helper()
	key := bundle.CacheEnv(policies.Name)
	runner := c.w.Env[key]
	c.w.Env[key] = filepath.Join(t.TempDir(), "publisher-cache")
	defer func() { c.w.Env[key] = runner }()
	out := c.run(t, dir, "policy", "publish", org)
	if want := `Publishing "` + policies.Name + `" - version ` + policies.Version + ` to "` + org + `"`; !strings.Contains(out, want) {
		t.Errorf("policy publish output lacks %q:\n%s", want, out)
	}
}

// enable runs `pulumi policy enable acme/selfhosted-hardening latest`, with
// --config when cfg is not nil.
func (c *cloud) enable(t testing.TB, cfg map[string]any) {
	t.Helper()
	args := []string{"policy", "enable", org + "/" + policies.Name, "latest"}
	if cfg != nil {
		args = append(args, "--config", writeConfig(t, cfg))
	}
	c.run(t, c.w.Dir, args...)
}

func (c *cloud) preview(t testing.TB) clienv.Outcome {
	t.Helper()
	return clienv.Preview(context.Background(), c.stack)
}

// violating is the inline program of the stack: a bare bucket, a bucket
// encrypted by a separate configuration, and an Aurora cluster without storage
// encryption (in a private subnet, behind a TLS parameter group). Its mandatory
// findings are wantMandatory.
func violating(ctx *pulumi.Context) error {
	enc, err := s3.NewBucketV2(ctx, "encrypted", nil)
	if err != nil {
		return err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "encrypted", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: enc.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"),
			},
		}},
	}); err != nil {
		return err
	}
	if _, err := s3.NewBucketV2(ctx, "bare", nil); err != nil {
		return err
	}
	vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
	if err != nil {
		return err
	}
	rt, err := ec2.NewRouteTable(ctx, "private", &ec2.RouteTableArgs{VpcId: vpc.ID()})
	if err != nil {
		return err
	}
	var subnets pulumi.StringArray
	for i, zone := range []string{"a", "b"} {
		sn, err := ec2.NewSubnet(ctx, "private-"+zone, &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i)})
		if err != nil {
			return err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, "private-"+zone, &ec2.RouteTableAssociationArgs{
			SubnetId: sn.ID(), RouteTableId: rt.ID(),
		}); err != nil {
			return err
		}
		subnets = append(subnets, sn.ID())
	}
	group, err := rds.NewSubnetGroup(ctx, "db", &rds.SubnetGroupArgs{Name: pulumi.String("db-subnets"), SubnetIds: subnets})
	if err != nil {
		return err
	}
	sg, err := ec2.NewSecurityGroup(ctx, "db", &ec2.SecurityGroupArgs{VpcId: vpc.ID()})
	if err != nil {
		return err
	}
	params, err := rds.NewClusterParameterGroup(ctx, "db-tls", &rds.ClusterParameterGroupArgs{
		Name: pulumi.String("db-tls"), Family: pulumi.String("aurora-mysql8.0"),
		Parameters: rds.ClusterParameterGroupParameterArray{&rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON"),
		}},
	})
	if err != nil {
		return err
	}
	_, err = rds.NewCluster(ctx, "db", &rds.ClusterArgs{
		DbClusterParameterGroupName: params.Name, Engine: pulumi.String("aurora-mysql"),
		MasterUsername: pulumi.String("admin"), MasterPassword: config.RequireSecret(ctx, "dbPassword"),
		StorageEncrypted: pulumi.Bool(false), DbSubnetGroupName: group.Name,
		VpcSecurityGroupIds: pulumi.StringArray{sg.ID()},
	})
	return err
}

// tarFiles lists the regular files of a .tgz with their content.
func tarFiles(t *testing.T, tgz []byte) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			out[h.Name] = data
		}
	}
}

// checkPublished checks what the service received from publish: the pack's
// identity and, for every policy, the metadata Pulumi Cloud shows (severity,
// remediation, guide URL, tags, config schema), against what the pack itself
// declares (its policies' definitions, and the analyzer info it serves).
func checkPublished(t *testing.T, got cloudstub.PackVersion) {
	t.Helper()
	req := got.Request
	if req.Name != policies.Name || req.VersionTag != policies.Version || req.Runtime != "go" || !got.Complete {
		t.Errorf("published %q version %q runtime %q complete %v", req.Name, req.VersionTag, req.Runtime, got.Complete)
	}
	info, err := server.AnalyzerInfo(policies.Pack())
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]*pulumirpc.PolicyInfo{}
	for _, p := range info.Policies {
		declared[p.Name] = p
	}
	byName := map[string]apitype.Policy{}
	for _, p := range req.Policies {
		byName[p.Name] = p
	}
	all := policies.All()
	if len(req.Policies) != len(all) || len(byName) != len(all) {
		t.Errorf("published %d policies, the pack has %d", len(req.Policies), len(all))
	}
	for _, p := range all {
		pub, ok := byName[p.Name]
		if !ok {
			t.Errorf("policy %s was not published", p.Name)
			continue
		}
		if string(pub.Severity) != p.Severity.String() || string(pub.EnforcementLevel) != p.Level.String() {
			t.Errorf("%s: severity %q level %q, want %q %q", p.Name, pub.Severity, pub.EnforcementLevel, p.Severity, p.Level)
		}
		if pub.RemediationSteps == "" || pub.RemediationSteps != p.Remediation || pub.URL != p.Section.URL ||
			pub.DisplayName != p.DisplayName || pub.Description != p.Description {
			t.Errorf("%s: remediation %q url %q display name %q description %q do not match the policy's",
				p.Name, pub.RemediationSteps, pub.URL, pub.DisplayName, pub.Description)
		}
		d := declared[p.Name]
		if d == nil {
			t.Errorf("%s: not in the pack's analyzer info", p.Name)
			continue
		}
		if len(pub.Tags) == 0 || pub.Tags[0] != p.Section.Tag || !reflect.DeepEqual(pub.Tags, d.Tags) {
			t.Errorf("%s: tags %v, want %v (the guide section %s first)", p.Name, pub.Tags, d.Tags, p.Section.Tag)
		}
		if pub.ConfigSchema == nil || pub.ConfigSchema.Type != apitype.Object {
			t.Errorf("%s: config schema %+v, want an object schema", p.Name, pub.ConfigSchema)
			continue
		}
		want := d.GetConfigSchema().GetProperties().AsMap()
		// The CLI adds enforcementLevel to every policy's schema.
		if pub.ConfigSchema.Properties["enforcementLevel"] == nil {
			t.Errorf("%s: the published schema lacks the enforcementLevel the CLI adds", p.Name)
		}
		if len(pub.ConfigSchema.Properties) != len(want)+1 || want["exclude"] == nil {
			t.Errorf("%s: schema properties %d, the pack declares %d", p.Name, len(pub.ConfigSchema.Properties), len(want))
		}
		for name, w := range want {
			raw := pub.ConfigSchema.Properties[name]
			if raw == nil {
				t.Errorf("%s: the published schema lacks %s", p.Name, name)
				continue
			}
			var have, wantNorm any
			wantJSON, _ := json.Marshal(w)
			_ = json.Unmarshal(wantJSON, &wantNorm)
			if err := json.Unmarshal(*raw, &have); err != nil || !reflect.DeepEqual(have, wantNorm) {
				t.Errorf("%s: published schema of %s is %s, the pack declares %s", p.Name, name, *raw, wantJSON)
			}
		}
	}
}

// installedPack is the folder `pulumi policy install` and the preview install
// the required pack into, under PULUMI_HOME.
func (c *cloud) installedPack(t testing.TB) string {
	t.Helper()
	var matches []string
	globbed, _ := filepath.Glob(filepath.Join(c.w.Env["PULUMI_HOME"], "policies", org, "*"+policies.Name+"*"))
	for _, m := range globbed {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			matches = append(matches, m)
		}
	}
	if len(matches) != 1 {
		var all []string
		_ = filepath.Walk(filepath.Join(c.w.Env["PULUMI_HOME"], "policies"), func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				all = append(all, p)
			}
			return nil
		})
		t.Fatalf("installed packs %v; folders under policies: %v", matches, all)
	}
	return matches[0]
}

// TestPublishThenRequiredPolicyPreview is the path an organization takes:
// `make dist`, `pulumi policy publish` from the bundle to the stand-in Pulumi
// Cloud service, `pulumi policy enable ... latest`, then `pulumi policy install`
// and `pulumi preview` of a stack on that service, which names the pack as a
// required policy: the CLI downloads and installs the bundle (the language
// host runs `go mod tidy` in it), builds its launcher and runs it. The
// preview must fail on the mandatory findings; a policy config set with
// `policy enable --config`, returned by the service with the required
// policy, must take effect; the second preview must reuse the installed
// pack and the extracted binary.
func TestPublishThenRequiredPolicyPreview(t *testing.T) {
	host := gate(t)
	dist := testbin.Dist(t)
	c := newCloud(t, host, nil)

	start := time.Now()
	c.publish(t, dist)
	t.Logf("pulumi policy publish: %v", time.Since(start).Round(10*time.Millisecond))
	packs := c.svc.Packs()
	if len(packs) != 1 {
		t.Fatalf("the service holds %d pack versions, want 1", len(packs))
	}
	checkPublished(t, packs[0])
	files := tarFiles(t, packs[0].Tarball)
	for _, f := range []string{"main.go", "launcher.go", "go.mod", "PulumiPolicy.yaml", "bin/SHA256SUMS",
		"bin/" + bundle.BinaryName(policies.Name, hostPlatform)} {
		if _, ok := files["package/"+f]; !ok {
			t.Errorf("the published tarball lacks package/%s", f)
		}
	}

	c.enable(t, nil)
	out := c.run(t, c.stack.Workspace().WorkDir(), "policy", "install", "--stack", stackName)
	if !strings.Contains(out, "Successfully installed 1 policy pack") {
		t.Errorf("policy install:\n%s", out)
	}
	installed := c.installedPack(t)
	if _, err := os.Stat(filepath.Join(installed, "bin", "SHA256SUMS")); err != nil {
		t.Errorf("the installed pack is not the bundle: %v", err)
	}
	if n := c.svc.Downloads(policies.Name, policies.Version); n != 1 {
		t.Errorf("downloads after policy install: %d, want 1", n)
	}

	o := c.preview(t)
	t.Logf("first preview with the required policy: %v", o.Elapsed.Round(10*time.Millisecond))
	if o.Err == nil {
		t.Fatalf("the preview passed; the required pack's mandatory findings must fail it\n%s", o.Output)
	}
	if got := mandatory(o.Policies); strings.Join(got, ", ") != strings.Join(wantMandatory, ", ") {
		t.Errorf("mandatory findings %v, want %v\n%s", got, wantMandatory, o.Output)
	}
	for _, e := range o.Policies {
		if e.PolicyPackName != policies.Name || e.PolicyPackVersion != policies.Version {
			t.Errorf("finding from %s %s", e.PolicyPackName, e.PolicyPackVersion)
		}
	}
	noSecret(t, o)
	if !strings.Contains(o.Output, "s3-bucket-encrypted") || !strings.Contains(o.Output, "Fix:") {
		t.Errorf("the CLI output does not show the findings:\n%s", o.Output)
	}
	updates := c.svc.Updates()
	if len(updates) != 1 || len(updates[0].Required) != 1 || updates[0].Status != apitype.UpdateStatusFailed {
		t.Errorf("the service's updates: %+v", updates)
	} else {
		policyEvents := 0
		for _, e := range updates[0].Events {
			if e.PolicyEvent != nil {
				policyEvents++
			}
		}
		if policyEvents != len(o.Policies) {
			t.Errorf("the service received %d policy events, the CLI showed %d", policyEvents, len(o.Policies))
		}
	}
	extracted := listFiles(t, c.cache)
	if len(extracted) != 1 {
		t.Fatalf("the launcher's cache holds %v, want the one extracted binary", extracted)
	}
	binPath := filepath.Join(c.cache, extracted[0])
	before, _ := os.Stat(binPath)
	instBefore, _ := os.Stat(filepath.Join(installed, "go.mod"))

	// The service now returns the pack with config: one policy advisory.
	c.enable(t, map[string]any{"s3-bucket-encrypted": "advisory"})
	o = c.preview(t)
	t.Logf("second preview (config from the service, installed pack reused): %v", o.Elapsed.Round(10*time.Millisecond))
	if o.Err == nil {
		t.Errorf("the preview passed; rds-storage-encrypted is still mandatory\n%s", o.Output)
	}
	if got := mandatory(o.Policies); strings.Join(got, ", ") != "rds-storage-encrypted on db" {
		t.Errorf("mandatory findings with s3-bucket-encrypted advisory: %v\n%s", got, o.Output)
	}
	var s3 []string
	for _, f := range findings(o.Policies) {
		if f.policy == "s3-bucket-encrypted" {
			s3 = append(s3, f.resource+" "+f.level)
		}
	}
	if strings.Join(s3, ",") != "bare advisory" {
		t.Errorf("s3-bucket-encrypted findings %v, want one advisory on bare: the service's config did not apply", s3)
	}
	if n := c.svc.Downloads(policies.Name, policies.Version); n != 1 {
		t.Errorf("the second preview downloaded the pack again (%d downloads)", n)
	}
	after, _ := os.Stat(binPath)
	instAfter, _ := os.Stat(filepath.Join(installed, "go.mod"))
	if files := listFiles(t, c.cache); len(files) != 1 || !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("the second preview extracted the binary again: cache %v", files)
	}
	if instBefore == nil || instAfter == nil || !os.SameFile(instBefore, instAfter) {
		t.Error("the second preview installed the pack again")
	}
	// The CLI called nothing the stand-in does not implement: if a new CLI
	// version calls more, this says what.
	if u := c.svc.Unhandled(); len(u) != 0 {
		t.Errorf("requests the stand-in service does not implement (answered 404): %v", u)
	}
	seen := map[string]bool{}
	var calls []string
	for _, r := range c.svc.Requests() {
		if !seen[r] {
			seen[r] = true
			calls = append(calls, r)
		}
	}
	t.Logf("the CLI's requests to the stand-in service: %s", strings.Join(calls, "; "))
}

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// markerBinary builds a program that, if anything ever runs it, creates the
// file marker.
func markerBinary(t *testing.T, marker string) []byte {
	t.Helper()
	dir := t.TempDir()
	src := "package main\n\nimport \"os\"\n\nvar marker string\n\nfunc main() {\n\t_ = os.WriteFile(marker, []byte(\"ran\"), 0o644)\n\tos.Exit(1)\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module marker\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "marker")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.marker="+marker, "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the marker program: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestRequiredPolicyFaults publishes the real bundle, then has the stand-in
// service serve a faulty one in its place (what a runner would download if the
// bundle had been built or stored wrong), each time to a fresh CLI home: the
// preview must fail with the launcher's error, and a binary that does not
// match SHA256SUMS must never run.
func TestRequiredPolicyFaults(t *testing.T) {
	host := gate(t)
	dist := testbin.Dist(t)
	hostBin := bundle.BinaryName(policies.Name, hostPlatform)
	other := "linux/arm64"
	if hostPlatform == other {
		other = "linux/amd64"
	}
	marker := filepath.Join(t.TempDir(), "marker-ran")
	markerBin := markerBinary(t, marker)
	genuine, err := os.ReadFile(filepath.Join(dist, "bin", hostBin))
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		// make writes the faulty bundle into dir.
		make func(t *testing.T, dir string)
		want string
	}{
		{"bundle without this platform", func(t *testing.T, dir string) {
			bins := t.TempDir()
			if err := os.WriteFile(filepath.Join(bins, bundle.StagedName(other)), markerBin, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := bundle.Generate(bundle.Options{Name: policies.Name, Version: policies.Version,
				Description: "d", BinDir: bins, Platforms: []string{other}, Out: dir}); err != nil {
				t.Fatal(err)
			}
		}, "this bundle has no pack binary for " + hostPlatform + "; it ships " + other + ". " +
			"Build one from the pack's repository with `PLATFORMS=" + hostPlatform + " make dist`"},
		{"corrupted binary", func(t *testing.T, dir string) {
			copyTree(t, dist, dir)
			if err := os.WriteFile(filepath.Join(dir, "bin", hostBin), markerBin, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "the embedded pack binary " + hostBin + " does not match its SHA-256 checksum"},
		{"tampered SHA256SUMS", func(t *testing.T, dir string) {
			copyTree(t, dist, dir)
			sums := filepath.Join(dir, "bin", "SHA256SUMS")
			data, err := os.ReadFile(sums)
			if err != nil {
				t.Fatal(err)
			}
			tampered := strings.Replace(string(data), sha256Hex(genuine), sha256Hex(markerBin), 1)
			if tampered == string(data) {
				t.Fatalf("SHA256SUMS does not list %s:\n%s", hostBin, data)
			}
			if err := os.WriteFile(sums, []byte(tampered), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "the embedded pack binary " + hostBin + " does not match its SHA-256 checksum"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := newCloud(t, host, nil)
			cl.publish(t, dist)
			faulty := filepath.Join(t.TempDir(), policies.Name)
			c.make(t, faulty)
			tgz, err := archive.TGZ(faulty, "package", true) // as pulumi policy publish packs a folder
			if err != nil {
				t.Fatal(err)
			}
			if err := cl.svc.Serve(org, policies.Name, policies.Version, tgz); err != nil {
				t.Fatal(err)
			}
			cl.enable(t, nil)
			o := cl.preview(t)
			t.Logf("preview: %v", o.Elapsed.Round(10*time.Millisecond))
			if o.Err == nil {
				t.Fatalf("the preview passed with a faulty required pack\n%s", o.Output)
			}
			if !strings.Contains(o.Output+o.Err.Error(), c.want) {
				t.Errorf("the preview's error lacks the launcher's %q:\n%v\n%s", c.want, o.Err, o.Output)
			}
			if len(o.Policies) != 0 {
				t.Errorf("findings from a pack that must not have run: %+v", o.Policies)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("the binary that does not match SHA256SUMS was executed")
			}
			if files := listFiles(t, cl.cache); len(files) != 0 {
				t.Errorf("the launcher extracted %v from a faulty bundle", files)
			}
			if n := cl.svc.Downloads(policies.Name, policies.Version); n != 1 {
				t.Errorf("downloads: %d, want 1", n)
			}
		})
	}
}
