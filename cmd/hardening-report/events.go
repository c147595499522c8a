package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// stackType is the type token of a stack's root resource.
const stackType = "pulumi:pulumi:Stack"

// engineLog is what the reporter keeps of an engine event log: the policy
// events and what says whether the operation ran to its end. Nothing else of
// the events is kept, so no input, output or config value can reach a report.
type engineLog struct {
	// Events is the number of engine events read.
	Events int
	// Policies are the policy violation events, in log order.
	Policies []apitype.PolicyEvent
	// Packs maps each policy pack the log names to its version.
	Packs map[string]string
	// StackURN is the URN of the stack's root resource, when a step names it.
	StackURN string
	// Summary is the operation's summary event; nil when the log has none
	// (the operation did not finish, or the log was cut).
	Summary *apitype.SummaryEvent
	// Errors counts diagnostics of severity "error" (their text is not kept:
	// a program's error may quote any value).
	Errors int
}

// Failed reports whether the operation failed or did not finish.
func (l *engineLog) Failed() bool {
	return l.Summary == nil || l.Summary.Result == apitype.OperationResultFailed ||
		l.Summary.Result == apitype.OperationResultCanceled || l.Errors > 0
}

// readLog reads the engine events of name (for messages) from r: JSON lines
// as `pulumi preview --json` writes them with
// PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, as `pulumi policy analyze
// --json` and the CLI's event log write them, or as the Automation API's
// events marshal; a JSON array of events, or an object {"events": [...]} as
// Pulumi Cloud's API returns them, is read too.
func readLog(r io.Reader, name string) (*engineLog, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	l := &engineLog{Packs: map[string]string{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		line := 1 + bytes.Count(data[:skipSpace(data, int(start))], []byte("\n"))
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%s:%d: the log ends in the middle of an event (was it cut short?)", name, line)
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			at := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
			return nil, fmt.Errorf("%s:%d: not JSON (%v); the input must be the JSON engine events of "+
				"`pulumi preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, or of "+
				"`pulumi policy analyze --json`", name, at, err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if err := l.addValue(raw); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if l.Events == 0 {
		return nil, fmt.Errorf("%s holds no engine events: give the output of `pulumi preview --json` run with "+
			"PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, or of `pulumi policy analyze --json`", name)
	}
	return l, nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// addValue adds one top-level JSON value: an event, an array of events, or
// an object holding "events".
func (l *engineLog) addValue(raw json.RawMessage) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if err := json.Unmarshal(trimmed, &batch); err != nil {
			return err
		}
		for i, e := range batch {
			if err := l.addEvent(e); err != nil {
				return fmt.Errorf("event %d of the array: %w", i, err)
			}
		}
		return nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &keys); err != nil {
		return errors.New("not an engine event: want a JSON object per line")
	}
	if ev, ok := keys["events"]; ok && keys["sequence"] == nil {
		return l.addValue(ev)
	}
	if _, ok := keys["steps"]; ok {
		return errors.New("this is the single JSON document `pulumi preview --json` writes without " +
			"PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, which leaves policy events out; set " +
			"PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true to stream the engine events instead")
	}
	return l.addEvent(trimmed)
}

// addEvent adds one engine event. An object that names no event type the
// reporter knows is skipped when it has an event's sequence or timestamp (a
// newer CLI's event), and refused otherwise.
func (l *engineLog) addEvent(raw json.RawMessage) error {
	var e apitype.EngineEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return fmt.Errorf("not an engine event: %w", err)
	}
	l.Events++
	switch {
	case e.PolicyEvent != nil:
		p := *e.PolicyEvent
		p.Color = ""
		l.Policies = append(l.Policies, p)
		l.pack(p.PolicyPackName, p.PolicyPackVersion)
	case e.SummaryEvent != nil:
		s := *e.SummaryEvent
		l.Summary = &s
		for name, version := range s.PolicyPacks {
			l.pack(name, version)
		}
	case e.DiagnosticEvent != nil:
		if e.DiagnosticEvent.Severity == "error" {
			l.Errors++
		}
	case e.ResourcePreEvent != nil:
		l.step(e.ResourcePreEvent.Metadata)
	case e.ResOutputsEvent != nil:
		l.step(e.ResOutputsEvent.Metadata)
	case e.PolicyAnalyzeSummaryEvent != nil:
		l.pack(e.PolicyAnalyzeSummaryEvent.PolicyPackName, e.PolicyAnalyzeSummaryEvent.PolicyPackVersion)
	case e.PolicyAnalyzeStackSummaryEvent != nil:
		l.pack(e.PolicyAnalyzeStackSummaryEvent.PolicyPackName, e.PolicyAnalyzeStackSummaryEvent.PolicyPackVersion)
	// The CLI ends every operation's events with a cancel event, so it says
	// nothing; a summary's result "canceled" does.
	case e.CancelEvent != nil, e.StdoutEvent != nil, e.PreludeEvent != nil, e.ResOpFailedEvent != nil, e.PolicyRemediationEvent != nil,
		e.PolicyLoadEvent != nil, e.PolicyRemediateSummaryEvent != nil, e.StartDebuggingEvent != nil,
		e.ProgressEvent != nil, e.ErrorEvent != nil:
	default:
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(raw, &keys)
		if keys["sequence"] == nil && keys["timestamp"] == nil {
			l.Events--
			return errors.New("not an engine event: the object names no event type")
		}
	}
	return nil
}

func (l *engineLog) pack(name, version string) {
	// A summary event's key for a local pack is "<name>|local|<path>".
	name, _, _ = strings.Cut(name, "|")
	if name == "" {
		return
	}
	// A summary event gives "v" and the version (newer CLIs); policy events
	// the bare version.
	if len(version) > 1 && version[0] == 'v' && version[1] >= '0' && version[1] <= '9' {
		version = version[1:]
	}
	if l.Packs[name] == "" {
		l.Packs[name] = version
	}
}

func (l *engineLog) step(md apitype.StepEventMetadata) {
	if md.Type == stackType && md.URN != "" {
		l.StackURN = md.URN
	}
}
