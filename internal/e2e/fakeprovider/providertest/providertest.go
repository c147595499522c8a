// Package providertest holds what the tests of the stand-in providers
// (fakeaws, fakek8s; test doubles) share: serving one in-process, starting
// its built binary as the engine would, and the wire literals they send.
package providertest

import (
	"bufio"
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/e2e/fakeprovider"
)

// Start serves srv on a loopback listener for the test and returns a client.
func Start(t *testing.T, srv *grpc.Server) pulumirpc.ResourceProviderClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return Dial(t, lis.Addr().String())
}

// Dial connects to a provider at addr for the test.
func Dial(t *testing.T, addr string) pulumirpc.ResourceProviderClient {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

// Context is a context for the test's calls, bounded to 30 s.
func Context(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Struct turns a Go literal into a wire struct.
func Struct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatalf("NewStruct: %v", err)
	}
	return s
}

// Secret wraps a value as the engine encodes a secret.
func Secret(v any) map[string]any {
	return map[string]any{fakeprovider.SecretSig: fakeprovider.SecretSigValue, "value": v}
}

// StartBinary builds the provider in the current directory as name, starts
// it the way the engine does (leading flags, then the engine address),
// reads the port it prints and returns a client for it.
func StartBinary(t *testing.T, name string, flags ...string) pulumirpc.ResourceProviderClient {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(Context(t), bin, append(flags, "127.0.0.1:1")...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading port line: %v (read %q)", err, line)
	}
	port, err := strconv.Atoi(strings.TrimSuffix(line, "\n"))
	if err != nil || port <= 0 || port > 65535 {
		t.Fatalf("first stdout line %q is not a port: %v", line, err)
	}
	return Dial(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}
