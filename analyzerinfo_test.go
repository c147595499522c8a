package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/selfhosted-hardening/selfhosted-hardening/policies"
	"github.com/selfhosted-hardening/selfhosted-hardening/server"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/analyzerinfo.json from the pack")

// TestAnalyzerInfoMatchesGolden pins what the engine and Pulumi Cloud receive
// from GetAnalyzerInfo (every policy's name, texts, level, severity, kind,
// tags, URL, compliance framework and config schema, and the pack's own
// metadata) to testdata/analyzerinfo.json, so a refactoring of how policies
// carry their metadata cannot change the wire output unnoticed. The README
// sent (Readme) is left out: TestPublishSendsComplianceMetadata proves it is
// docgen.Readme of the pack, and TestReadmePolicyTableIsFresh proves that
// text. After an intended change, run go test -run TestAnalyzerInfoMatchesGolden
// -update . and review the diff.
func TestAnalyzerInfoMatchesGolden(t *testing.T) {
	info, err := server.AnalyzerInfo(policies.Pack())
	if err != nil {
		t.Fatal(err)
	}
	info.Readme = ""
	raw, err := protojson.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	// protojson's spacing is deliberately unstable; re-encode with sorted
	// keys and fixed indentation.
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "analyzerinfo.json")
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("GetAnalyzerInfo differs from %s (run with -update and review the diff):\n%s", path,
			firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where want and got part.
func firstDiff(want, got string) string {
	wl, gl := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return ""
}
