package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/docgen"
	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
)

// TestMetadataEveryPolicyHasAFramework checks, through the CLI's own plugin
// client talking to the built binary, that every policy carries the guide as
// its compliance framework with its section, and that its tags are the
// section's and one aws-fsbp:<id> per control the pack's metadata lists.
func TestMetadataEveryPolicyHasAFramework(t *testing.T) {
	a := startPack(t, nil)
	info, err := a.GetAnalyzerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Policies) != len(policies.All()) {
		t.Fatalf("%d policies, want %d", len(info.Policies), len(policies.All()))
	}
	controls := 0
	for _, p := range info.Policies {
		f := p.Framework
		if f == nil || f.Name != policies.GuideName || f.Version != policies.GuideVersion || f.Reference == "" ||
			!strings.HasPrefix(f.Specification, "https://www.pulumi.com/docs/administration/self-hosting/operations/security-hardening/#") {
			t.Errorf("policy %s: no compliance framework or an incomplete one: %+v", p.Name, f)
			continue
		}
		pol := policies.Pack().Policy(p.Name)
		want := []string{pol.Section.Tag}
		for _, c := range pol.Controls {
			want = append(want, "aws-fsbp:"+c.ID)
			controls++
		}
		if strings.Join(p.Tags, ",") != strings.Join(want, ",") {
			t.Errorf("policy %s: tags %v, want %v", p.Name, p.Tags, want)
		}
	}
	if controls == 0 {
		t.Error("no policy names an AWS Security Hub control")
	}
}

// TestMetadataGuideVersionIsTheSharedText keeps the framework version (a
// digest of the guide's text, which carries no date or version of its own)
// in step with the copy of the guide beside the project, when it is there.
func TestMetadataGuideVersionIsTheSharedText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "shared", "reference", "security-hardening.md"))
	if err != nil {
		t.Skipf("no shared guide: %v", err)
	}
	sum := sha256.Sum256(data)
	if want := "sha256:" + hex.EncodeToString(sum[:])[:12]; policies.GuideVersion != want {
		t.Errorf("GuideVersion %s, but the guide's text is %s: review the policies against the changed guide, "+
			"then update GuideVersion", policies.GuideVersion, want)
	}
}

// TestPublishSendsComplianceMetadata checks what pulumi policy publish
// sends: it starts the built binary as publish does (no stack) and takes the
// CLI plugin client's AnalyzerInfo, which the CLI's Pulumi Cloud client
// (backend/httpstate/client PublishPolicyPack, v3.274.1) copies field for
// field into the publish request: readme, provider, tags, repository, and
// per policy the framework (convertPolicyComplianceFramework) and tags. (The
// test does not import that client: it would add some twenty modules to
// go.mod for one test.) The readme must be the README's usage and policy
// index, from the same generator, its links leading to README.md's sections.
func TestPublishSendsComplianceMetadata(t *testing.T) {
	a := startPack(t, nil)
	sent, err := a.GetAnalyzerInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pack := policies.Pack()
	if sent.Name != policies.Name || sent.Version != policies.Version || sent.Provider != "aws" ||
		sent.Repository != policies.Repository || len(sent.Tags) == 0 {
		t.Errorf("pack metadata: name %q version %q provider %q repository %q tags %v", sent.Name,
			sent.Version, sent.Provider, sent.Repository, sent.Tags)
	}
	if want := docgen.Readme(pack, policies.Usage); sent.Readme != want {
		t.Errorf("readme sent (%d bytes) is not docgen.Readme of the pack (%d bytes)", len(sent.Readme), len(want))
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if part := strings.TrimSpace(policies.Usage); !strings.Contains(sent.Readme, part) ||
		!strings.Contains(string(readme), part) {
		t.Errorf("the readme sent and README.md do not both hold the usage %.60q...", part)
	}
	// The same index in both; the readme sent links to README.md's sections.
	if index := docgen.Index(pack, policies.Repository); !strings.Contains(sent.Readme, index) {
		t.Errorf("the readme sent does not hold the index linking to the repository:\n%s", index)
	}
	if index := docgen.Index(pack, ""); !strings.Contains(string(readme), index) {
		t.Errorf("README.md does not hold the index:\n%s", index)
	}
	for _, p := range pack.Policies {
		if !strings.Contains(string(readme), "\n### "+docgen.Anchor(p)+"\n") {
			t.Errorf("README.md has no section %q for the index to link to", docgen.Anchor(p))
		}
	}
	if len(sent.Policies) != len(pack.Policies) {
		t.Fatalf("%d policies sent, want %d", len(sent.Policies), len(pack.Policies))
	}
	for _, p := range sent.Policies {
		pol := pack.Policy(p.Name)
		if pol == nil || p.Framework == nil {
			t.Errorf("policy %s sent with no framework", p.Name)
			continue
		}
		fw := pack.FrameworkOf(pol)
		if *p.Framework != (plugin.AnalyzerPolicyComplianceFramework{Name: fw.Name,
			Version: fw.Version, Reference: fw.Reference, Specification: fw.Specification}) {
			t.Errorf("policy %s: framework sent %+v, want %+v", p.Name, *p.Framework, fw)
		}
		if strings.Join(p.Tags, ",") != strings.Join(pol.Tags(), ",") {
			t.Errorf("policy %s: tags sent %v, want %v", p.Name, p.Tags, pol.Tags())
		}
	}
	if p := pack.Policy("rds-storage-encrypted"); !strings.Contains(strings.Join(p.Tags(), ","), "aws-fsbp:RDS.3") {
		t.Errorf("rds-storage-encrypted tags %v lack aws-fsbp:RDS.3", p.Tags())
	}
}
