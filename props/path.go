package props

import (
	"fmt"
	"strconv"
	"strings"
)

// A Path names a value inside a resource's properties: keys joined by dots,
// array items by [n], and keys with dots or other punctuation by ["key"]:
//
//	storageEncrypted
//	serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm
//	subnetIds[1]
//	tags["selfhosted-hardening:exempt"]
type Path []Segment

// Segment is one step of a Path: an object key, or an array index when
// IsIndex is set.
type Segment struct {
	Key     string
	Index   int
	IsIndex bool
}

// ParsePath parses the path syntax above. It rejects empty unquoted keys
// (an empty key is written [""]), unclosed brackets and negative indexes.
func ParsePath(s string) (Path, error) {
	var p Path
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			if i == 0 || i == len(s)-1 {
				return nil, fmt.Errorf("path %q: empty key", s)
			}
			i++
			if s[i] == '.' || s[i] == '[' {
				return nil, fmt.Errorf("path %q: empty key at offset %d", s, i)
			}
		case '[':
			if strings.HasPrefix(s[i+1:], `"`) {
				// A quoted key may itself hold ] and escaped quotes.
				quoted, err := strconv.QuotedPrefix(s[i+1:])
				if err != nil || !strings.HasPrefix(s[i+1+len(quoted):], "]") {
					return nil, fmt.Errorf("path %q: bad quoted key at offset %d", s, i)
				}
				key, _ := strconv.Unquote(quoted)
				p = append(p, Segment{Key: key})
				i += 1 + len(quoted) + 1
			} else {
				end := strings.IndexByte(s[i:], ']')
				if end < 0 {
					return nil, fmt.Errorf("path %q: unclosed [", s)
				}
				inner := s[i+1 : i+end]
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("path %q: bad index %q", s, inner)
				}
				p = append(p, Segment{Index: n, IsIndex: true})
				i += end + 1
			}
			if i < len(s) && s[i] != '.' && s[i] != '[' {
				return nil, fmt.Errorf("path %q: unexpected %q after ]", s, s[i])
			}
		default:
			end := strings.IndexAny(s[i:], ".[")
			if end < 0 {
				end = len(s) - i
			}
			p = append(p, Segment{Key: s[i : i+end]})
			i += end
		}
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return p, nil
}

// MustPath parses a path written in the pack's own code; a bad literal is a
// programming error and panics at start-up, never on user input.
func MustPath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String renders the path in the syntax ParsePath reads.
func (p Path) String() string {
	var b strings.Builder
	for i, seg := range p {
		switch {
		case seg.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(seg.Index))
			b.WriteByte(']')
		case isPlainKey(seg.Key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(seg.Key)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(seg.Key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Key returns p extended by an object key.
func (p Path) Key(k string) Path {
	return append(p[:len(p):len(p)], Segment{Key: k})
}

// At returns p extended by an array index.
func (p Path) At(i int) Path {
	return append(p[:len(p):len(p)], Segment{Index: i, IsIndex: true})
}

// Root is the top-level property the path starts at; the engine's property
// dependencies are keyed by it.
func (p Path) Root() string {
	if len(p) == 0 || p[0].IsIndex {
		return ""
	}
	return p[0].Key
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// TypeError says that a value on the way to a path has the wrong shape, e.g.
// a string where the path needs an object.
type TypeError struct {
	Path Path // the prefix whose value had the wrong shape
	Want Kind
	Got  Kind
}

func (e *TypeError) Error() string {
	where := e.Path.String()
	if where == "" {
		where = "the properties"
	}
	return fmt.Sprintf("%s is %s, expected %s", where, article(e.Got), article(e.Want))
}

func article(k Kind) string {
	s := k.String()
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	if k == Null {
		return s
	}
	return "a " + s
}

// Lookup follows p from v. It returns:
//   - the value at p, marked secret when it or anything on the way is secret;
//   - Unknown when a value on the way is unknown;
//   - Null when a key is missing, an index is out of range, or a value on the
//     way is null (absent is not an error);
//   - a *TypeError when a value on the way has the wrong shape.
func (v Value) Lookup(p Path) (Value, error) {
	secret := v.secret
	cur := v
	for i, seg := range p {
		switch cur.kind {
		case Unknown:
			return Value{kind: Unknown, secret: secret}, nil
		case Null:
			return Value{secret: secret}, nil
		}
		if seg.IsIndex {
			if cur.kind != Array {
				return Value{secret: secret}, &TypeError{Path: p[:i], Want: Array, Got: cur.kind}
			}
			if seg.Index < 0 || seg.Index >= len(cur.arr) {
				return Value{secret: secret}, nil
			}
			cur = cur.arr[seg.Index]
		} else {
			if cur.kind != Object {
				return Value{secret: secret}, &TypeError{Path: p[:i], Want: Object, Got: cur.kind}
			}
			cur = cur.obj[seg.Key]
		}
		secret = secret || cur.secret
	}
	cur.secret = secret
	return cur, nil
}

// Get is Lookup without the error: a wrong shape on the way gives Null.
func (v Value) Get(p Path) Value {
	out, _ := v.Lookup(p)
	return out
}
