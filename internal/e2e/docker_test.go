package e2e

// Docker-shaped end-to-end tests: the local-docker installer's shape
// (internal/programs.Docker) written with pulumi-docker v4, previewed and
// deployed in the real CLI with the pack binary. The Docker provider is a
// test double, internal/e2e/fakedocker (installed as docker 4.10.0 beside
// the stand-in aws provider): it reports a RemoteImage's repoDigest as
// unknown in a preview, as the real provider does, and never talks to a
// Docker daemon.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/clienv"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/programs"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/testbin"
)

// dockerVersion is the plugin version pulumi-docker/sdk/v4 v4.10.0 asks
// for, and the one the stand-in answers as.
const dockerVersion = "4.10.0"

var (
	dockerOnce sync.Once
	dockerErr  error
)

func setupDocker(t *testing.T) *world {
	t.Helper()
	w := setup(t)
	dockerOnce.Do(func() {
		dockerErr = fmt.Errorf("the stand-in docker provider was not built")
		bin := testbin.Build(t, "./internal/e2e/fakedocker", "pulumi-resource-docker")
		out, err := w.Run(w.Dir, "plugin", "install", "resource", "docker", dockerVersion, "--file", bin)
		if err != nil {
			dockerErr = fmt.Errorf("%v\n%s", err, out)
			return
		}
		dockerErr = nil
	})
	if dockerErr != nil {
		t.Fatalf("installing the stand-in docker provider: %v", dockerErr)
	}
	return w
}

func (w *world) dockerStack(t *testing.T, name string, hardened bool) auto.Stack {
	t.Helper()
	cfg := map[string]auto.ConfigValue{}
	for k, v := range programs.DockerSecretConfig {
		cfg[k] = auto.ConfigValue{Value: v, Secret: true}
	}
	ctx := context.Background()
	s, err := w.Stack(ctx, project, name, t.TempDir(), programs.Docker(hardened), nil)
	if err == nil {
		err = s.SetAllConfig(ctx, cfg)
	}
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return s
}

// noDockerSecret checks that no secret of the Docker program appears in the
// output or in a policy message.
func noDockerSecret(t *testing.T, output string, policies []apitype.PolicyEvent) {
	t.Helper()
	for _, v := range programs.DockerSecretConfig {
		if strings.HasPrefix(v, "-----BEGIN") {
			v = strings.Split(v, "\n")[1]
		}
		if strings.Contains(output, v) {
			t.Errorf("the secret %q appears in the CLI output", v)
		}
		for _, e := range policies {
			if strings.Contains(e.Message, v) {
				t.Errorf("the secret %q appears in a policy message: %+v", v, e)
			}
		}
	}
}

func TestDockerViolatingPreviewFails(t *testing.T) {
	w := setupDocker(t)
	s := w.dockerStack(t, "docker-violating", false)
	o := preview(t, s, optpreview.PolicyPacks(w.pack))
	t.Logf("preview of the violating Docker program with the pack: %v", o.Elapsed)
	if o.Err == nil {
		t.Errorf("preview passed; mandatory violations must fail it.\n%s", o.Output)
	}
	for _, c := range []struct {
		policy, resource string
		level            string
		words            []string
	}{
		// The image is a RemoteImage's repoDigest, unknown in a preview:
		// the containers are found by the RemoteImage's name.
		{"api-tls", "service", "mandatory", []string{"8080", "without TLS", "ports[0]"}},
		{"console-tls", "console", "mandatory", []string{"3000", "without TLS"}},
		{"database-tls", "service", "mandatory", []string{"DATABASE_CA_CERTIFICATE"}},
		{"database-tls", "migrations", "mandatory", []string{"DATABASE_CA_CERTIFICATE"}},
		{"container-secrets-not-in-environment", "service", "mandatory", []string{"PULUMI_LICENSE_KEY",
			"PULUMI_DATABASE_USER_PASSWORD", "AWS_SECRET_ACCESS_KEY", "SMTP_PASSWORD", "docker inspect",
			"AWS_SHARED_CREDENTIALS_FILE"}},
		{"container-secrets-not-in-environment", "migrations", "mandatory", []string{"MYSQL_ROOT_PASSWORD"}},
		{"service-endpoints-tls", "service", "mandatory", []string{"PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT",
			"PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", "disableSSL=true"}},
		{"docker-published-ports-restricted", "service", "mandatory", []string{"8080", "every address of the host"}},
		{"docker-published-ports-restricted", "console", "mandatory", []string{"3000"}},
	} {
		got := o.Find(c.policy, c.resource)
		if len(got) == 0 {
			t.Errorf("%s on %s: no finding", c.policy, c.resource)
			continue
		}
		for _, e := range got {
			if e.EnforcementLevel != c.level {
				t.Errorf("%s on %s: level %s, want %s: %s", c.policy, c.resource, e.EnforcementLevel, c.level, e.Message)
			}
		}
		text := messages(got)
		for _, word := range c.words {
			if !strings.Contains(text, word) {
				t.Errorf("%s on %s: no message names %q:\n%s", c.policy, c.resource, word, text)
			}
		}
	}
	// The MinIO URLs are not repeated; nginx's 80 and 443 are fine.
	for _, e := range o.Policies {
		if strings.Contains(e.Message, "s3://") {
			t.Errorf("a message repeats an endpoint: %s", e.Message)
		}
		if strings.HasSuffix(e.ResourceURN, "::nginx") {
			t.Errorf("finding on the proxy: %s %s", e.PolicyName, e.Message)
		}
	}
	noDockerSecret(t, o.Output, o.Policies)
	t.Logf("findings:\n%s", findings(o))
	if t.Failed() {
		t.Logf("output:\n%s", o.Output)
	}
}

// assertDockerClean fails on any finding of the pack, at any level.
func assertDockerClean(t *testing.T, what string, o clienv.Outcome) {
	t.Helper()
	if o.Err != nil {
		t.Errorf("%s failed: %v\n%s", what, o.Err, o.Output)
	}
	if len(o.Policies) != 0 {
		t.Errorf("%s: the hardened Docker program got findings:\n%s", what, findings(o))
	}
	noDockerSecret(t, o.Output, o.Policies)
}

func TestDockerHardenedPreviewAndUpAreClean(t *testing.T) {
	w := setupDocker(t)
	s := w.dockerStack(t, "docker-hardened", true)
	cfg := writeConfig(t, programs.DockerHardenedPolicyConfig())
	o := preview(t, s, optpreview.PolicyPacks(w.pack), optpreview.PolicyPackConfigs(cfg))
	t.Logf("preview of the hardened Docker program with the pack: %v", o.Elapsed)
	assertDockerClean(t, "preview", o)

	var out strings.Builder
	ch := make(chan events.EngineEvent)
	var upPolicies []apitype.PolicyEvent
	done := make(chan struct{})
	go func() {
		for e := range ch {
			if e.PolicyEvent != nil {
				upPolicies = append(upPolicies, *e.PolicyEvent)
			}
		}
		close(done)
	}()
	_, err := s.Up(context.Background(), optup.PolicyPacks(w.pack), optup.PolicyPackConfigs(cfg),
		optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out), optup.EventStreams(ch))
	waitEvents(done)
	assertDockerClean(t, "up", clienv.Outcome{Err: err, Output: out.String(), Policies: upPolicies})
}
