// Package cloudstub is a TEST DOUBLE of the Pulumi Cloud service: a stand-in
// that serves, on a loopback port only (127.0.0.1), just the HTTP API that the
// Pulumi CLI v3.274.1 calls (pkg/backend/httpstate/client) for
//
//   - `pulumi login <url>` (and every later command's user check),
//   - `pulumi policy publish <org>`: create the pack version with the metadata
//     the CLI sends, take the tarball upload, complete,
//   - `pulumi policy enable <org>/<pack> latest [--config file]`,
//   - `pulumi policy install` and `pulumi preview` of a stack on this backend:
//     stack create and read, the preview's update lifecycle (create, start,
//     engine events, lease renewal, complete), and the stack's required
//     policies, with a download location the service serves.
//
// It is not Pulumi Cloud: one user, one access token, state kept in memory,
// no real encryption (encrypt and decrypt return their input), every update a
// preview (no checkpoints). Request and response bodies are the CLI's own
// structs from sdk/v3/go/common/apitype, except GET /api/user, which apitype
// does not define: its body mirrors the client's unexported serviceUser.
// Requests it does not implement get a 404 and are listed by Unhandled, so a
// test can tell when the CLI calls something new.
//
// Bounded: JSON bodies up to 8 MiB, tarballs up to 128 MiB, at most 64 pack
// versions and 100,000 engine events, and server timeouts.
package cloudstub

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

const (
	maxJSONBody  = 8 << 20
	maxTarball   = 128 << 20
	maxPacks     = 64
	maxEvents    = 100_000
	defaultGroup = apitype.DefaultPolicyGroup
)

// user is the body of GET /api/user: apitype has no type for it, so this
// mirrors the CLI client's unexported serviceUser (the fields it reads).
type user struct {
	ID            string     `json:"id"`
	GitHubLogin   string     `json:"githubLogin"`
	Name          string     `json:"name"`
	Email         string     `json:"email"`
	AvatarURL     string     `json:"avatarUrl"`
	Organizations []userInfo `json:"organizations"`
	Identities    []string   `json:"identities"`
}

type userInfo struct {
	Name        string `json:"name"`
	GitHubLogin string `json:"githubLogin"`
	AvatarURL   string `json:"avatarUrl"`
}

// PackVersion is one published version of a policy pack.
type PackVersion struct {
	Org string
	// Request is what `pulumi policy publish` sent to create the version.
	Request apitype.CreatePolicyPackRequest
	// Version is the service's number for it (1, 2, ... per pack).
	Version int
	// Tarball is what the CLI uploaded (Served, when set, is served instead).
	Tarball, Served []byte
	// Complete is set by the publish's final call.
	Complete bool
}

// Update is one update (here always a preview) of a stack.
type Update struct {
	Stack    string // org/project/stack
	Kind     apitype.UpdateKind
	Request  apitype.UpdateProgramRequest
	Required []apitype.RequiredPolicy
	Events   []apitype.EngineEvent
	Status   apitype.UpdateStatus
	token    string
}

// Service is the running stand-in.
type Service struct {
	// URL is the service's base URL (http://127.0.0.1:<port>); Token the
	// access token it accepts (PULUMI_ACCESS_TOKEN); User and Org the one
	// user and the organization it belongs to.
	URL, Token, User, Org string

	srv *http.Server
	lis net.Listener

	mu        sync.Mutex
	packs     []*PackVersion
	groups    map[string][]apitype.PolicyPackMetadata // org/group -> applied packs
	stacks    map[string]apitype.Stack
	updates   map[string]*Update
	order     []string // update ids in creation order
	downloads map[string]int
	requests  []string
	unhandled []string
	events    int
}

// Start starts a service on a free loopback port for org, whose one user is
// user with access token token.
func Start(org, user, token string) (*Service, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Service{
		URL: "http://" + lis.Addr().String(), Token: token, User: user, Org: org, lis: lis,
		groups: map[string][]apitype.PolicyPackMetadata{}, stacks: map[string]apitype.Stack{},
		updates: map[string]*Update{}, downloads: map[string]int{},
	}
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { _ = s.srv.Serve(lis) }()
	return s, nil
}

// Close stops the service.
func (s *Service) Close() error { return s.srv.Close() }

func (s *Service) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, h func(w http.ResponseWriter, r *http.Request) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !s.authorized(r) {
				writeError(w, http.StatusUnauthorized, "Unauthorized: no valid token")
				return
			}
			resp, err := h(w, r)
			var he httpError
			switch {
			case errors.As(err, &he):
				writeError(w, he.code, he.msg)
			case err != nil:
				writeError(w, http.StatusBadRequest, err.Error())
			case resp == nil:
				w.WriteHeader(http.StatusNoContent)
			default:
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(resp)
			}
		})
	}
	// Login and capabilities.
	api("GET /api/user", s.getUser)
	api("GET /api/user/organizations/default", func(http.ResponseWriter, *http.Request) (any, error) {
		return apitype.GetDefaultOrganizationResponse{GitHubLogin: s.Org}, nil
	})
	api("GET /api/capabilities", func(http.ResponseWriter, *http.Request) (any, error) {
		// Only stack-policy-packs (for pulumi policy install); without
		// begin-update, delta checkpoints or batch encryption the CLI uses its
		// basic update endpoints.
		return apitype.CapabilitiesResponse{Capabilities: []apitype.APICapabilityConfig{
			{Capability: apitype.StackPolicyPacks, Version: 1},
		}}, nil
	})
	// Stacks.
	api("HEAD /api/stacks/{org}/{project}", s.headProject)
	api("POST /api/stacks/{org}/{project}", s.createStack)
	api("GET /api/stacks/{org}/{project}/{stack}", s.getStack)
	api("GET /api/stacks/{org}/{project}/{stack}/export", s.exportStack)
	api("POST /api/stacks/{org}/{project}/{stack}/encrypt", s.encrypt)
	api("POST /api/stacks/{org}/{project}/{stack}/decrypt", s.decrypt)
	api("POST /api/stacks/{org}/{project}/{stack}/batch-decrypt", s.batchDecrypt)
	api("GET /api/stacks/{org}/{project}/{stack}/policypacks", s.stackPolicyPacks)
	// The preview's update lifecycle.
	api("POST /api/stacks/{org}/{project}/{stack}/preview", s.createUpdate)
	api("POST /api/stacks/{org}/{project}/{stack}/update/{id}", s.startUpdate)
	api("POST /api/stacks/{org}/{project}/{stack}/update/{id}/events/batch", s.recordEvents)
	api("POST /api/stacks/{org}/{project}/{stack}/update/{id}/renew_lease", s.renewLease)
	api("POST /api/stacks/{org}/{project}/{stack}/update/{id}/complete", s.completeUpdate)
	// Policy packs and groups.
	api("POST /api/orgs/{org}/policypacks", s.createPolicyPack)
	api("GET /api/orgs/{org}/policypacks/{name}/versions/{version}", s.getPolicyPack)
	api("POST /api/orgs/{org}/policypacks/{name}/versions/{version}/complete", s.completePolicyPack)
	api("PATCH /api/orgs/{org}/policygroups/{group}", s.updatePolicyGroup)
	api("GET /api/orgs/{org}/policygroups/{group}", s.getPolicyGroup)
	// Object storage (pre-signed URLs: no token).
	mux.HandleFunc("PUT /storage/{org}/{name}/{version}", s.upload)
	mux.HandleFunc("GET /storage/{org}/{name}/{version}", s.download)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.unhandled = append(s.unhandled, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found: the stand-in service does not implement "+r.Method+" "+r.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
}

type httpError struct {
	code int
	msg  string
}

func (e httpError) Error() string { return e.msg }

func notFound(format string, args ...any) error {
	return httpError{http.StatusNotFound, "Not Found: " + fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(apitype.ErrorResponse{Code: code, Message: msg})
}

// authorized accepts the access token ("token <t>") on every API call and,
// on update calls, the update's lease token ("update-token <t>").
func (s *Service) authorized(r *http.Request) bool {
	kind, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch kind {
	case "token":
		return cred == s.Token
	case "update-token":
		s.mu.Lock()
		defer s.mu.Unlock()
		u := s.updates[r.PathValue("id")]
		return u != nil && cred == u.token
	}
	return false
}

// decode reads a JSON request body (gzip-compressed when the CLI says so).
func decode(r *http.Request, v any) error {
	var body io.Reader = http.MaxBytesReader(nil, r.Body, maxJSONBody)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			return err
		}
		body = io.LimitReader(zr, maxJSONBody)
	}
	return json.NewDecoder(body).Decode(v)
}

func (s *Service) getUser(http.ResponseWriter, *http.Request) (any, error) {
	return user{
		ID: "user-1", GitHubLogin: s.User, Name: s.User, Email: s.User + "@example.invalid",
		Organizations: []userInfo{{Name: s.Org, GitHubLogin: s.Org}}, Identities: []string{},
	}, nil
}

func (s *Service) checkOrg(org string) error {
	if org != s.Org {
		return notFound("organization %q", org)
	}
	return nil
}

func stackKey(r *http.Request) string {
	return r.PathValue("org") + "/" + r.PathValue("project") + "/" + r.PathValue("stack")
}

func (s *Service) headProject(_ http.ResponseWriter, r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := r.PathValue("org") + "/" + r.PathValue("project") + "/"
	for k := range s.stacks {
		if strings.HasPrefix(k, prefix) {
			return nil, nil
		}
	}
	return nil, notFound("project")
}

func (s *Service) createStack(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := s.checkOrg(r.PathValue("org")); err != nil {
		return nil, err
	}
	var req apitype.CreateStackRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	key := r.PathValue("org") + "/" + r.PathValue("project") + "/" + req.StackName
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.stacks[key]; ok {
		return nil, httpError{http.StatusConflict, "Conflict: stack already exists"}
	}
	s.stacks[key] = apitype.Stack{
		OrgName: r.PathValue("org"), ProjectName: r.PathValue("project"), StackName: tokens.QName(req.StackName),
		Tags: req.Tags, ID: "stack-" + strconv.Itoa(len(s.stacks)+1),
	}
	return apitype.CreateStackResponse{}, nil
}

func (s *Service) stack(r *http.Request) (apitype.Stack, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stacks[stackKey(r)]
	if !ok {
		return st, notFound("stack %s", stackKey(r))
	}
	return st, nil
}

func (s *Service) getStack(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.stack(r)
}

// exportStack returns the stack's state: always empty (previews only).
func (s *Service) exportStack(_ http.ResponseWriter, r *http.Request) (any, error) {
	if _, err := s.stack(r); err != nil {
		return nil, err
	}
	dep, err := json.Marshal(apitype.DeploymentV3{Manifest: apitype.ManifestV1{Time: time.Now()}})
	if err != nil {
		return nil, err
	}
	return apitype.ExportStackResponse{Version: 3, Deployment: dep}, nil
}

// encrypt and decrypt stand in for the service's secrets manager: the
// "ciphertext" is the plaintext.
func (s *Service) encrypt(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.EncryptValueRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return apitype.EncryptValueResponse{Ciphertext: req.Plaintext}, nil
}

func (s *Service) decrypt(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.DecryptValueRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	return apitype.DecryptValueResponse{Plaintext: req.Ciphertext}, nil
}

func (s *Service) batchDecrypt(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.BatchDecryptRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, c := range req.Ciphertexts {
		out[base64.StdEncoding.EncodeToString(c)] = c // keyed by the ciphertext's base64
	}
	return apitype.BatchDecryptResponse{Plaintexts: out}, nil
}

// requiredPolicies are the packs enabled in the org's default policy group,
// which every stack of the org belongs to here, with their config and the
// location of the tarball.
func (s *Service) requiredPolicies(org string) []apitype.RequiredPolicy {
	var out []apitype.RequiredPolicy
	for _, m := range s.groups[org+"/"+defaultGroup] {
		p := s.find(org, m.Name, m.VersionTag)
		if p == nil {
			continue
		}
		out = append(out, apitype.RequiredPolicy{
			Name: p.Request.Name, Version: p.Version, VersionTag: p.Request.VersionTag,
			DisplayName:  p.Request.DisplayName,
			PackLocation: s.URL + "/storage/" + org + "/" + p.Request.Name + "/" + p.Request.VersionTag,
			Config:       m.Config,
		})
	}
	return out
}

func (s *Service) stackPolicyPacks(_ http.ResponseWriter, r *http.Request) (any, error) {
	if _, err := s.stack(r); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return apitype.GetStackPolicyPacksResponse{RequiredPolicies: s.requiredPolicies(r.PathValue("org"))}, nil
}

func (s *Service) createUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	if _, err := s.stack(r); err != nil {
		return nil, err
	}
	var req apitype.UpdateProgramRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("update-%d", len(s.order)+1)
	u := &Update{Stack: stackKey(r), Kind: apitype.PreviewUpdate, Request: req,
		Required: s.requiredPolicies(r.PathValue("org"))}
	s.updates[id] = u
	s.order = append(s.order, id)
	return apitype.UpdateProgramResponse{UpdateID: id, RequiredPolicies: u.Required}, nil
}

func (s *Service) update(r *http.Request) (*Update, error) {
	u := s.updates[r.PathValue("id")]
	if u == nil || u.Stack != stackKey(r) {
		return nil, notFound("update %s", r.PathValue("id"))
	}
	return u, nil
}

func (s *Service) startUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.StartUpdateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.update(r)
	if err != nil {
		return nil, err
	}
	u.token = "lease-" + r.PathValue("id")
	// JournalVersion 0: no journal (previews write no state anyway).
	return apitype.StartUpdateResponse{Version: 1, Token: u.token,
		TokenExpiration: time.Now().Add(5 * time.Minute).Unix()}, nil
}

func (s *Service) recordEvents(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.EngineEventBatch
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.update(r)
	if err != nil {
		return nil, err
	}
	if s.events+len(req.Events) > maxEvents {
		return nil, httpError{http.StatusRequestEntityTooLarge, "the stand-in service keeps at most 100,000 events"}
	}
	s.events += len(req.Events)
	u.Events = append(u.Events, req.Events...)
	return nil, nil
}

func (s *Service) renewLease(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.RenewUpdateLeaseRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.update(r)
	if err != nil {
		return nil, err
	}
	return apitype.RenewUpdateLeaseResponse{Token: u.token,
		TokenExpiration: time.Now().Add(5 * time.Minute).Unix()}, nil
}

func (s *Service) completeUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	var req apitype.CompleteUpdateRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.update(r)
	if err != nil {
		return nil, err
	}
	u.Status = req.Status
	return nil, nil
}

// find returns the version of a pack, the latest completed one when
// versionTag is "" (what `pulumi policy enable ... latest` sends).
func (s *Service) find(org, name, versionTag string) *PackVersion {
	var latest *PackVersion
	for _, p := range s.packs {
		if p.Org != org || p.Request.Name != name {
			continue
		}
		if versionTag != "" && p.Request.VersionTag == versionTag {
			return p
		}
		if versionTag == "" && p.Complete && (latest == nil || p.Version > latest.Version) {
			latest = p
		}
	}
	return latest
}

func (s *Service) createPolicyPack(_ http.ResponseWriter, r *http.Request) (any, error) {
	org := r.PathValue("org")
	if err := s.checkOrg(org); err != nil {
		return nil, err
	}
	var req apitype.CreatePolicyPackRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Name == "" || req.VersionTag == "" || strings.ContainsAny(req.Name+req.VersionTag, "/?#") {
		return nil, errors.New("Bad Request: a policy pack needs a name and a version tag")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.find(org, req.Name, req.VersionTag) != nil {
		return nil, httpError{http.StatusConflict, fmt.Sprintf("Conflict: %s version %s is already published", req.Name, req.VersionTag)}
	}
	if len(s.packs) >= maxPacks {
		return nil, httpError{http.StatusRequestEntityTooLarge, "the stand-in service keeps at most 64 pack versions"}
	}
	n := 1
	for _, p := range s.packs {
		if p.Org == org && p.Request.Name == req.Name {
			n++
		}
	}
	s.packs = append(s.packs, &PackVersion{Org: org, Request: req, Version: n})
	return apitype.CreatePolicyPackResponse{
		Version:         n,
		UploadURI:       s.URL + "/storage/" + org + "/" + req.Name + "/" + req.VersionTag,
		RequiredHeaders: map[string]string{"Content-Type": "application/gzip"},
	}, nil
}

func (s *Service) completePolicyPack(_ http.ResponseWriter, r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("org"), r.PathValue("name"), r.PathValue("version"))
	if p == nil {
		return nil, notFound("policy pack %s version %s", r.PathValue("name"), r.PathValue("version"))
	}
	if p.Tarball == nil {
		return nil, errors.New("Bad Request: the pack's tarball was not uploaded")
	}
	p.Complete = true
	return nil, nil
}

func (s *Service) getPolicyPack(_ http.ResponseWriter, r *http.Request) (any, error) {
	org, name := r.PathValue("org"), r.PathValue("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(org, name, r.PathValue("version"))
	if p == nil || !p.Complete {
		return nil, notFound("policy pack %s version %s", name, r.PathValue("version"))
	}
	applied := false
	for k, packs := range s.groups {
		for _, m := range packs {
			applied = applied || (strings.HasPrefix(k, org+"/") && m.Name == name && m.VersionTag == p.Request.VersionTag)
		}
	}
	return apitype.GetPolicyPackResponse{Name: p.Request.Name, DisplayName: p.Request.DisplayName,
		Version: p.Version, VersionTag: p.Request.VersionTag, Policies: p.Request.Policies, Applied: applied}, nil
}

func (s *Service) updatePolicyGroup(_ http.ResponseWriter, r *http.Request) (any, error) {
	org, group := r.PathValue("org"), r.PathValue("group")
	if err := s.checkOrg(org); err != nil {
		return nil, err
	}
	var req apitype.UpdatePolicyGroupRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := org + "/" + group
	applied := s.groups[key]
	remove := func(name string) {
		var kept []apitype.PolicyPackMetadata
		for _, m := range applied {
			if m.Name != name {
				kept = append(kept, m)
			}
		}
		applied = kept
	}
	if m := req.AddPolicyPack; m != nil {
		p := s.find(org, m.Name, m.VersionTag)
		if p == nil || !p.Complete {
			return nil, notFound("policy pack %s version %q", m.Name, m.VersionTag)
		}
		remove(m.Name)
		applied = append(applied, apitype.PolicyPackMetadata{
			Name: p.Request.Name, DisplayName: p.Request.DisplayName, Version: p.Version,
			VersionTag: p.Request.VersionTag, Config: m.Config, Environments: m.Environments,
		})
	}
	if m := req.RemovePolicyPack; m != nil {
		remove(m.Name)
	}
	s.groups[key] = applied
	return nil, nil
}

func (s *Service) getPolicyGroup(_ http.ResponseWriter, r *http.Request) (any, error) {
	org, group := r.PathValue("org"), r.PathValue("group")
	if err := s.checkOrg(org); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return apitype.GetPolicyGroupResponse{
		Name: group, IsOrgDefault: group == defaultGroup, EntityType: "stacks", Mode: "preventative",
		Stacks: []apitype.PulumiStackReference{}, AppliedPolicyPacks: append([]apitype.PolicyPackMetadata{}, s.groups[org+"/"+group]...),
		Accounts: []string{},
	}, nil
}

func (s *Service) upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTarball))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("org"), r.PathValue("name"), r.PathValue("version"))
	if p == nil || p.Complete {
		writeError(w, http.StatusForbidden, "Forbidden: no upload pending for this object")
		return
	}
	p.Tarball = data
	w.WriteHeader(http.StatusOK)
}

func (s *Service) download(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p := s.find(r.PathValue("org"), r.PathValue("name"), r.PathValue("version"))
	var data []byte
	if p != nil && p.Complete {
		data = p.Tarball
		if p.Served != nil {
			data = p.Served
		}
		s.downloads[p.Request.Name+"@"+p.Request.VersionTag]++
	}
	s.mu.Unlock()
	if data == nil {
		writeError(w, http.StatusNotFound, "Not Found: no such object")
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = io.Copy(w, bytes.NewReader(data))
}

// Packs returns a copy of every published pack version, in publish order.
func (s *Service) Packs() []PackVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]PackVersion, len(s.packs))
	for i, p := range s.packs {
		out[i] = *p
	}
	return out
}

// Serve makes the service serve data instead of the uploaded tarball of a
// pack version (a fault a test injects: a damaged or other bundle).
func (s *Service) Serve(org, name, versionTag string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(org, name, versionTag)
	if p == nil {
		return fmt.Errorf("no pack %s version %s in %s", name, versionTag, org)
	}
	p.Served = data
	return nil
}

// Downloads returns how often the tarball of name@versionTag was downloaded.
func (s *Service) Downloads(name, versionTag string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads[name+"@"+versionTag]
}

// Updates returns a copy of every update, in creation order.
func (s *Service) Updates() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Update
	for _, id := range s.order {
		u := *s.updates[id]
		u.Events = append([]apitype.EngineEvent(nil), u.Events...)
		out = append(out, u)
	}
	return out
}

// Requests returns "METHOD path" of every request so far; Unhandled those
// the service does not implement (answered 404), sorted and deduplicated.
func (s *Service) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func (s *Service) Unhandled() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, u := range s.unhandled {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}
