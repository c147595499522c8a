package policies

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
	"github.com/selfhosted-hardening/selfhosted-hardening/workload"
)

// Which containers are the self-hosted service's: by image repository path,
// whatever the registry and tag.
//
// Six policies need the same patterns, so they are set once for the pack and
// each policy may override them. Pulumi's policy config has no pack-wide
// properties (the engine validates each policy's object against that
// policy's schema, and its "all" key takes only an enforcement level, which
// it then applies to every policy), so the pack-wide value is stack config,
// which the engine gives the pack with every run: the key
// selfhosted-hardening:<property> (for example
// selfhosted-hardening:apiImagePatterns), a JSON list of patterns or one
// pattern. A policy's own property, when set and not empty, wins; neither
// set, the built-in defaults apply.

// SettingsNamespace is the stack config namespace of the pack-wide settings.
const SettingsNamespace = Name

type role struct {
	name     string              // "API", "Console", "migrations"
	param    policy.StringsParam // its config property, also its stack config key
	defaults []string
}

var (
	apiRole        = newRole("API", "apiImagePatterns", "pulumi/service", "*/pulumi/service")
	consoleRole    = newRole("Console", "consoleImagePatterns", "pulumi/console", "*/pulumi/console")
	migrationsRole = newRole("migrations", "migrationsImagePatterns", "pulumi/migrations", "*/pulumi/migrations")
)

func newRole(name, param string, defaults ...string) role {
	return role{name, policy.StringsParam{
		Name: param,
		Description: fmt.Sprintf("Image repository paths (shell patterns, registry and tag left out) of the "+
			"%s containers, for this policy. Empty: the pack-wide stack config %s:%s (a JSON list), else %s.",
			name, SettingsNamespace, param, strings.Join(defaults, ", ")),
	}, defaults}
}

// patterns are the role's image patterns for one policy: its own property,
// else the pack-wide stack config, else the defaults.
func (r role) patterns(cfg *policy.Config, env *policy.Env) []string {
	if own := r.param.Get(cfg); len(own) > 0 {
		return own
	}
	if env != nil {
		if s := strings.TrimSpace(env.Config[r.stackKey()]); s != "" {
			return stackPatterns(r.stackKey(), s)
		}
	}
	return r.defaults
}

// stackKey is the role's pack-wide stack config key.
func (r role) stackKey() string { return SettingsNamespace + ":" + r.param.Name }

// stackPatterns parses a pack-wide pattern setting: a JSON list of strings,
// or one pattern. A list that does not parse stops the check with an error
// naming the key (the runner reports it), rather than matching nothing.
func stackPatterns(key, s string) []string {
	if !strings.HasPrefix(s, "[") {
		return []string{s}
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		panic(fmt.Sprintf("stack config %s must be a JSON list of image patterns or one pattern: %v", key, err))
	}
	return out
}

func (r role) paramDef() policy.Param { return r.param.Param() }

// matches reports whether a container's image is one of the role's.
func (r role) matches(ctx *policy.StackContext, c workload.Container) bool {
	return r.matchesImage(ctx.Config, ctx.Env, c.Image)
}

func (r role) matchesImage(cfg *policy.Config, env *policy.Env, image string) bool {
	repo := workload.ImageRepository(image)
	if repo == "" {
		return false
	}
	for _, p := range r.patterns(cfg, env) {
		if ok, _ := path.Match(p, repo); ok {
			return true
		}
	}
	return false
}

// containersOf returns the containers of the stack, on every platform (ECS
// task definitions, Kubernetes workloads), that have one of the roles.
func containersOf(ctx *policy.StackContext, roles ...role) []workload.Container {
	return stackContainers(ctx, func(image string) bool {
		for _, r := range roles {
			if r.matchesImage(ctx.Config, ctx.Env, image) {
				return true
			}
		}
		return false
	})
}

// stackContainers returns the containers of the stack whose image keep
// accepts.
func stackContainers(ctx *policy.StackContext, keep func(image string) bool) []workload.Container {
	var out []workload.Container
	for _, td := range ctx.Graph.OfType(taskdef.Type) {
		cs, _ := taskdef.Parse(ctx.Read(td))
		taskdef.JoinStores(ctx.Graph, td, cs)
		for _, c := range cs {
			if keep(c.Image) {
				out = append(out, c)
			}
		}
	}
	for _, w := range ctx.Graph.OfType(kube.Types...) {
		out = append(out, kube.Containers(ctx, w, keep)...)
	}
	return out
}

// setting is how a container sets a variable.
type setting struct {
	workload.Var
	ok bool
	// unknown: set, but whether to an empty value is not known until
	// update (a value from an output, a Secret whose name or data is not
	// known yet).
	unknown bool
}

// lookup finds a variable. An empty value (a literal "", an empty value of
// a ConfigMap or a Secret of the stack) counts as not set: the installers
// write "" for config left unset. One whose emptiness is not known until
// update counts as set, with unknown true.
func lookup(c workload.Container, name string) setting {
	v, ok := c.Lookup(name)
	if !ok {
		return setting{}
	}
	switch v.Blank() {
	case workload.Empty:
		return setting{}
	case workload.BlankUnknown:
		return setting{Var: v, ok: true, unknown: true}
	}
	return setting{Var: v, ok: true}
}

func (s setting) set() bool { return s.ok }

// noteUnknown notes, through the reader of the resource holding it, that
// the value of a variable the policy needs is not known until update.
func (s setting) noteUnknown(ctx *policy.StackContext, c workload.Container) {
	switch {
	case s.HeldBy != nil:
		ctx.Read(s.HeldBy).NoteUnknown(s.HeldAt)
	case s.Source == workload.Plain:
		ctx.Read(c.Owner).NoteUnknown(s.Path + ".value")
	default:
		ctx.Read(c.Owner).NoteUnknown(s.Path)
	}
}

// requireVars reports, for one container, the variables it does not set;
// secret ones must come from a secret store. One set in plain text counts as
// set here: container-secrets-not-in-environment reports it, once. One set
// to a value not known until update is noted, not reported.
func requireVars(ctx *policy.StackContext, c workload.Container, plain []string, secret []string) {
	var missing []string
	need := func(name, label string) {
		switch s := lookup(c, name); {
		case s.unknown:
			s.noteUnknown(ctx, c)
		case !s.set():
			missing = append(missing, label)
		}
	}
	for _, name := range plain {
		need(name, name)
	}
	for _, name := range secret {
		need(name, name+" (from a secret)")
	}
	if len(missing) > 0 {
		what := strings.Join(missing, ", ")
		reportMissing(ctx, c, what, "", "%s does not set %s", c.Label, what)
	}
}

// reportMissing reports that a container does not set the variables named
// in missing, with the violation's message. Where the container may set them
// out of the pack's sight (ECS environmentFiles, an envFrom of something
// outside the stack) the finding is "cannot be verified" instead, and where
// its environment is not known until update there is none (the reader has
// noted what is unknown). fix is the finding's own fix, or "" for the
// policy's remediation.
func reportMissing(ctx *policy.StackContext, c workload.Container, missing, fix, format string, args ...any) {
	switch {
	case c.Pending:
	case len(c.Opaque) > 0:
		ctx.Unverifiablef(c.Owner, "cannot be verified: %s does not set %s, and may set it through %s, which the "+
			"pack cannot read", c.Label, missing, opaque(c))
	default:
		ctx.ViolationFixf(c.Owner, fix, format, args...)
	}
}

// opaque names where a container's unseen variables may come from.
func opaque(c workload.Container) string {
	if c.Owner.Type == taskdef.Type {
		return "its environmentFiles (" + strings.Join(c.Opaque, ", ") + ")"
	}
	return strings.Join(c.Opaque, "; ")
}

// checkMinTLS judges a minimum TLS version variable if set: only 1.2 and 1.3
// are valid.
func checkMinTLS(ctx *policy.StackContext, c workload.Container, name string) {
	s := lookup(c, name)
	switch {
	case !s.set():
	case s.Value.IsUnknown():
		ctx.Read(c.Owner).NoteUnknown(s.Path)
	case s.Value.IsNull():
		ctx.Unverifiablef(c.Owner, "cannot be verified: %s of %s comes from a %s (%s), so its value (1.2 or 1.3 "+
			"expected) cannot be checked", name, c.Label, s.Source, s.From)
	default:
		v, ok := s.Value.Str()
		if !ok || (v != "1.2" && v != "1.3") {
			ctx.ViolationFixf(c.Owner, fmt.Sprintf("Set %s to \"1.2\" or \"1.3\".", name),
				"%s sets %s to %s (%s); the only valid values are 1.2 and 1.3", c.Label, name, s.Value.Describe(),
				s.Path)
		}
	}
}

var pTaskDefinition = props.MustPath("taskDefinition")
