package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// locator places findings in the repository. The engine events of CLI
// v3.274.1 carry no source position (their step metadata has none); the
// engine records a resource's position in the stack's state instead
// ("sourcePosition": "project:///main.go#12,3", relative to the project's
// folder), which `pulumi stack export` writes. Given such a state the
// locator points at the resource's line; otherwise at the project file.
type locator struct {
	// projectFile is the project's Pulumi.yaml, relative to the source root.
	projectFile string
	positions   map[string]Location
}

// newLocator makes a locator for the project file projectFile under the
// source root root (both as given on the command line).
func newLocator(root, projectFile string) (*locator, error) {
	rel, err := relativeTo(root, projectFile)
	if err != nil {
		return nil, fmt.Errorf("--project-file: %w", err)
	}
	return &locator{projectFile: rel, positions: map[string]Location{}}, nil
}

// relativeTo returns p relative to root with forward slashes, refusing a
// path outside root.
func relativeTo(root, p string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absRoot, abs)
	if err != nil {
		return "", err
	}
	rel = filepath.ToSlash(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%s is outside the source root %s", p, root)
	}
	return rel, nil
}

// readState reads the source positions of a `pulumi stack export` document;
// it keeps each resource's URN and position and nothing else of the state.
func (l *locator) readState(r io.Reader, name string) error {
	var doc struct {
		Deployment *struct {
			Resources []struct {
				URN            string `json:"urn"`
				SourcePosition string `json:"sourcePosition"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return fmt.Errorf("%s: not the JSON of `pulumi stack export`: %w", name, err)
	}
	if doc.Deployment == nil {
		return fmt.Errorf("%s: no \"deployment\": not the output of `pulumi stack export`", name)
	}
	dir := path.Dir(l.projectFile)
	for _, res := range doc.Deployment.Resources {
		if res.SourcePosition == "" {
			continue
		}
		loc, ok := parsePosition(res.SourcePosition, dir)
		if ok {
			l.positions[res.URN] = loc
		}
	}
	return nil
}

// parsePosition reads "project:///<path>#<line>[,<column>]" (the path
// relative to the project's folder, projectDir relative to the source root).
// A position outside the source root is not used.
func parsePosition(pos, projectDir string) (Location, bool) {
	u, err := url.Parse(pos)
	if err != nil || u.Scheme != "project" || u.Path == "" {
		return Location{}, false
	}
	lineText, colText, _ := strings.Cut(u.Fragment, ",")
	line, err := strconv.Atoi(lineText)
	if err != nil || line < 1 {
		return Location{}, false
	}
	col, err := strconv.Atoi(colText)
	if err != nil || col < 1 {
		col = 0
	}
	file := path.Clean(path.Join(projectDir, strings.TrimPrefix(u.Path, "/")))
	if file == "." || file == ".." || strings.HasPrefix(file, "../") || path.IsAbs(file) {
		return Location{}, false
	}
	return Location{URI: file, Line: line, Column: col, FromSource: true}, true
}

// locate returns where the finding on urn points.
func (l *locator) locate(urn string) *Location {
	if loc, ok := l.positions[urn]; ok {
		return &loc
	}
	return &Location{URI: l.projectFile, Line: 1}
}
