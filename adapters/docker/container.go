package docker

import (
	"fmt"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// Parsed is one container as the pack reads it, once per resource.
type Parsed struct {
	Container workload.Container
	// Blind: the image is not known until update, or malformed, so whether
	// the container is one a policy judges is not known.
	Blind bool
	// Networks are the names of the networks the container joins
	// (networksAdvanced[].name) that are known; NetworksUnknown is true
	// when one is not known until update. NetworkMode is networkMode, or
	// "bridge" (pulumi-docker's default) when unset.
	Networks        []string
	NetworksUnknown bool
	NetworkMode     string
	// notes are what reading it noted, replayed on the reader of each
	// policy that judges the container.
	notes policy.Notes
}

type memoKey struct{}

// TypeRemoteImage is the image a container usually runs: its repoDigest,
// latest or imageId output is the container's image.
const TypeRemoteImage = "docker:index/remoteImage:RemoteImage"

var pImage = props.MustPath("image")

// Parse reads a Docker container of g once per resource.
func Parse(g *graph.Graph, r *graph.Resource) *Parsed {
	return r.Memo(memoKey{}, func() any { return parse(g, r) }).(*Parsed)
}

func parse(g *graph.Graph, r *graph.Resource) *Parsed {
	rd := policy.Probe(r)
	p := &Parsed{NetworkMode: "bridge"}
	c := &p.Container
	c.Owner, c.Label = r, fmt.Sprintf("container %q", r.Name)
	if name, ok := rd.Value("name").Str(); ok && name != "" {
		c.Name = name
		c.Label = fmt.Sprintf("container %q (name %q)", r.Name, name)
	}
	switch img := rd.Value("image"); img.Kind() {
	case props.String:
		c.Image, _ = img.Str()
	case props.Unknown:
		// A RemoteImage's repoDigest (or latest, imageId) is not known
		// until update; the image it pulls, its name input, is.
		if name, ok := remoteImageName(g, r); ok {
			c.Image = name
			break
		}
		rd.NoteUnknown("image")
		p.Blind = true
	case props.Null:
	default:
		rd.String("image") // notes the wrong type
		p.Blind = true
	}
	envs := ParseEnvs(rd.Value("envs"))
	switch {
	case envs.Unknown:
		rd.NoteUnknown("envs")
		c.Pending = true
	case envs.Problem != "":
		rd.NoteInvalidFix(envs.Problem, "set envs to a list of \"KEY=value\" strings")
		c.Pending = true
	}
	for _, e := range envs.Entries {
		at := fmt.Sprintf("envs[%d]", e.Index)
		switch {
		case e.Unknown:
			rd.NoteUnknown(at)
			c.Pending = true
		case e.Problem != "":
			rd.NoteInvalidFix(e.Problem, "write each item of envs as \"KEY=value\"")
		default:
			c.Vars = append(c.Vars, workload.Var{Name: e.Name, Path: at, ValuePath: at, Source: workload.Plain,
				Value: e.Value})
		}
	}
	if _, conflicts := Resolve(envs.Entries); len(conflicts) > 0 {
		rd.NoteInvalidFix(fmt.Sprintf("envs sets %s more than once, with different values: Docker passes "+
			"every entry to the process, which reads the first, and pulumi-docker keeps envs as a set, so "+
			"which value comes first is not the order written", strings.Join(conflicts, ", ")),
			"keep one entry per variable in envs")
	}
	p.networks(rd)
	p.notes = rd.Taken()
	return p
}

// remoteImageName is the name of the one RemoteImage of the stack whose
// output the container's image is, through its property dependencies.
func remoteImageName(g *graph.Graph, r *graph.Resource) (string, bool) {
	if g == nil {
		return "", false
	}
	targets := graph.Targets(g.Refs(r, pImage, TypeRemoteImage))
	if len(targets) != 1 {
		return "", false
	}
	name, ok := targets[0].Props.Get(props.MustPath("name")).Str()
	return name, ok && name != ""
}

// networks reads the networks the container joins.
func (p *Parsed) networks(rd policy.Reader) {
	if m, st := rd.String("networkMode"); st == policy.Known && m != "" {
		p.NetworkMode = m
	}
	v := rd.Value("networksAdvanced")
	switch v.Kind() {
	case props.Null:
		return
	case props.Unknown:
		p.NetworksUnknown = true
		return
	case props.Array:
	default:
		p.NetworksUnknown = true // malformed: no network can be ruled out
		return
	}
	for i := 0; i < v.Len(); i++ {
		name := v.Index(i).Field("name")
		if s, ok := name.Str(); ok && !name.IsSecret() && s != "" {
			p.Networks = append(p.Networks, s)
			continue
		}
		p.NetworksUnknown = true
	}
}

// Shares reports whether two containers may share a network, as far as the
// pack can tell: a network of the same known name, a name not known until
// update, or the same networkMode when neither joins a network of its own.
func Shares(a, b *Parsed) bool {
	if a.NetworksUnknown || b.NetworksUnknown {
		return true
	}
	for _, n := range a.Networks {
		if containsString(b.Networks, n) {
			return true
		}
	}
	return len(a.Networks) == 0 && len(b.Networks) == 0 && a.NetworkMode == b.NetworkMode
}

// Containers returns the container r as the container view has it, when
// keep accepts its image. What reading it found unknown or malformed is
// noted through ctx's reader for r, unless the container is not kept and
// its image is known (it is not one the caller judges).
func Containers(ctx *policy.StackContext, r *graph.Resource, keep func(image string) bool) []workload.Container {
	p := Parse(ctx.Graph, r)
	kept := keep(p.Container.Image)
	if !kept && !p.Blind {
		return nil
	}
	p.notes.Replay(ctx.Read(r))
	if !kept {
		return nil
	}
	c := p.Container
	c.Vars = append([]workload.Var(nil), c.Vars...)
	return []workload.Container{c}
}
