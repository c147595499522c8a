package policies

import (
	"fmt"
	"path"
	"strings"

	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
	"github.com/selfhosted-hardening/selfhosted-hardening/taskdef"
)

// Which containers are the self-hosted service's: by image repository path,
// whatever the registry and tag.

type role struct {
	name     string // "API", "Console", "migrations"
	param    string // its config property
	defaults []string
}

var (
	apiRole        = role{"API", "apiImagePatterns", []string{"pulumi/service", "*/pulumi/service"}}
	consoleRole    = role{"Console", "consoleImagePatterns", []string{"pulumi/console", "*/pulumi/console"}}
	migrationsRole = role{"migrations", "migrationsImagePatterns", []string{"pulumi/migrations", "*/pulumi/migrations"}}
)

func (r role) paramDef() policy.Param {
	return policy.Param{
		Name: r.param, Type: policy.StringList, Default: r.defaults,
		Description: fmt.Sprintf("Image repository paths (shell patterns, registry and tag left out) of the "+
			"%s containers.", r.name),
	}
}

// matches reports whether a container's image is one of the role's.
func (r role) matches(cfg *policy.Config, c taskdef.Container) bool {
	repo := taskdef.ImageRepository(c.Image)
	if repo == "" {
		return false
	}
	for _, p := range cfg.Strings(r.param) {
		if ok, _ := path.Match(p, repo); ok {
			return true
		}
	}
	return false
}

// containersOf returns the containers of a task definition that have one of
// the roles.
func containersOf(ctx *policy.ResourceContext, roles ...role) []taskdef.Container {
	cs, _ := taskdef.Parse(ctx.Reader)
	var out []taskdef.Container
	for _, c := range cs {
		for _, r := range roles {
			if r.matches(ctx.Config, c) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// setting is how a container sets a variable.
type setting struct {
	taskdef.Var
	where string // "environment" or "secrets"; "" when not set
}

// lookup finds a variable; an environment entry with an empty value counts
// as not set.
func lookup(c taskdef.Container, name string) setting {
	v, where, ok := c.Lookup(name)
	if !ok {
		return setting{}
	}
	if s, isStr := v.Value.Str(); where == "environment" && isStr && strings.TrimSpace(s) == "" {
		return setting{}
	}
	return setting{v, where}
}

func (s setting) set() bool { return s.where != "" }

// requireVars reports, for one container, the variables it does not set;
// secret ones must come through secrets. One set in the plain environment
// counts as set here: container-secrets-not-in-environment reports it, once.
// A container with environmentFiles may set what is missing there, which
// cannot be seen: then the finding is "cannot be verified".
func requireVars(ctx *policy.ResourceContext, c taskdef.Container, plain []string, secret []string) {
	var missing []string
	for _, name := range plain {
		if !lookup(c, name).set() {
			missing = append(missing, name)
		}
	}
	for _, name := range secret {
		if !lookup(c, name).set() {
			missing = append(missing, name+" (through secrets)")
		}
	}
	if len(missing) > 0 {
		what := strings.Join(missing, ", ")
		reportMissing(ctx, c, what, "", "%s does not set %s", c.Label(), what)
	}
}

// reportMissing reports that a container does not set the variables named
// in missing, with the violation's message; when the container has
// environmentFiles it may set them there, which cannot be seen, and the
// finding is "cannot be verified" instead. fix is the finding's own fix, or
// "" for the policy's remediation.
func reportMissing(ctx *policy.ResourceContext, c taskdef.Container, missing, fix, format string, args ...any) {
	if len(c.EnvFiles) > 0 {
		ctx.Unverifiablef("cannot be verified: %s does not set %s; its environmentFiles (%s) may set "+
			"it, and the pack cannot read them", c.Label(), missing, strings.Join(c.EnvFiles, ", "))
		return
	}
	ctx.ViolationFixf(fix, format, args...)
}

// checkMinTLS judges a minimum TLS version variable if set: only 1.2 and 1.3
// are valid.
func checkMinTLS(ctx *policy.ResourceContext, c taskdef.Container, name string) {
	s := lookup(c, name)
	switch {
	case !s.set():
	case s.where == "secrets":
		ctx.Unverifiablef("cannot be verified: %s of %s comes from secrets, so its value (1.2 or 1.3 expected) "+
			"cannot be checked", name, c.Label())
	default:
		v, ok := s.Value.Str()
		if !ok || (v != "1.2" && v != "1.3") {
			shown := s.Value.Describe()
			ctx.ViolationFixf(fmt.Sprintf("Set %s to \"1.2\" or \"1.3\".", name),
				"%s sets %s to %s (%s); the only valid values are 1.2 and 1.3", c.Label(), name, shown, s.Path)
		}
	}
}

var pTaskDefinition = props.MustPath("taskDefinition")
