package cv

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// Resume is a JSON Resume document, schema 1.0.0 (jsonresume.org/schema). Every object
// keeps the keys the schema does not name in Extra, so that a document loaded and
// exported again loses nothing its owner wrote: a theme's settings, a newer schema's
// fields, a tool's own keys.
type Resume struct {
	Schema       string        `json:"$schema,omitempty"`
	Basics       *Basics       `json:"basics,omitempty"`
	Work         []Work        `json:"work,omitempty"`
	Volunteer    []Volunteer   `json:"volunteer,omitempty"`
	Education    []Education   `json:"education,omitempty"`
	Awards       []Award       `json:"awards,omitempty"`
	Certificates []Certificate `json:"certificates,omitempty"`
	Publications []Publication `json:"publications,omitempty"`
	Skills       []Skill       `json:"skills,omitempty"`
	Languages    []Language    `json:"languages,omitempty"`
	Interests    []Interest    `json:"interests,omitempty"`
	References   []Reference   `json:"references,omitempty"`
	Projects     []Project     `json:"projects,omitempty"`
	Meta         *Meta         `json:"meta,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Basics is who the CV is about and how to reach them.
type Basics struct {
	Name     string                     `json:"name,omitempty"`
	Label    string                     `json:"label,omitempty"` // e.g. "Web Developer": the headline
	Image    string                     `json:"image,omitempty"`
	Email    string                     `json:"email,omitempty"`
	Phone    string                     `json:"phone,omitempty"`
	URL      string                     `json:"url,omitempty"`
	Summary  string                     `json:"summary,omitempty"`
	Location *Location                  `json:"location,omitempty"`
	Profiles []ResumeProfile            `json:"profiles,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Location is a postal address; any part may be missing.
type Location struct {
	Address     string                     `json:"address,omitempty"`
	PostalCode  string                     `json:"postalCode,omitempty"`
	City        string                     `json:"city,omitempty"`
	CountryCode string                     `json:"countryCode,omitempty"`
	Region      string                     `json:"region,omitempty"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// ResumeProfile is an account on a social network ("profiles" in the schema).
type ResumeProfile struct {
	Network  string                     `json:"network,omitempty"`
	Username string                     `json:"username,omitempty"`
	URL      string                     `json:"url,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Work is one job.
type Work struct {
	Name        string                     `json:"name,omitempty"` // the employer
	Location    string                     `json:"location,omitempty"`
	Description string                     `json:"description,omitempty"` // what the employer does
	Position    string                     `json:"position,omitempty"`
	URL         string                     `json:"url,omitempty"`
	StartDate   string                     `json:"startDate,omitempty"`
	EndDate     string                     `json:"endDate,omitempty"`
	Summary     string                     `json:"summary,omitempty"`
	Highlights  []string                   `json:"highlights,omitempty"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// Volunteer is unpaid work for an organisation.
type Volunteer struct {
	Organization string                     `json:"organization,omitempty"`
	Position     string                     `json:"position,omitempty"`
	URL          string                     `json:"url,omitempty"`
	StartDate    string                     `json:"startDate,omitempty"`
	EndDate      string                     `json:"endDate,omitempty"`
	Summary      string                     `json:"summary,omitempty"`
	Highlights   []string                   `json:"highlights,omitempty"`
	Extra        map[string]json.RawMessage `json:"-"`
}

// Education is a course of study at an institution.
type Education struct {
	Institution string                     `json:"institution,omitempty"`
	URL         string                     `json:"url,omitempty"`
	Area        string                     `json:"area,omitempty"`      // e.g. "Computer Science"
	StudyType   string                     `json:"studyType,omitempty"` // e.g. "Bachelor"
	StartDate   string                     `json:"startDate,omitempty"`
	EndDate     string                     `json:"endDate,omitempty"`
	Score       string                     `json:"score,omitempty"` // grade point average etc.
	Courses     []string                   `json:"courses,omitempty"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// Award is a prize or recognition.
type Award struct {
	Title   string                     `json:"title,omitempty"`
	Date    string                     `json:"date,omitempty"`
	Awarder string                     `json:"awarder,omitempty"`
	Summary string                     `json:"summary,omitempty"`
	Extra   map[string]json.RawMessage `json:"-"`
}

// Certificate is a certification and who issued it.
type Certificate struct {
	Name   string                     `json:"name,omitempty"`
	Date   string                     `json:"date,omitempty"`
	URL    string                     `json:"url,omitempty"`
	Issuer string                     `json:"issuer,omitempty"`
	Extra  map[string]json.RawMessage `json:"-"`
}

// Publication is a paper, article or book.
type Publication struct {
	Name        string                     `json:"name,omitempty"`
	Publisher   string                     `json:"publisher,omitempty"`
	ReleaseDate string                     `json:"releaseDate,omitempty"`
	URL         string                     `json:"url,omitempty"`
	Summary     string                     `json:"summary,omitempty"`
	Extra       map[string]json.RawMessage `json:"-"`
}

// Skill is a field of expertise with its keywords.
type Skill struct {
	Name     string                     `json:"name,omitempty"`
	Level    string                     `json:"level,omitempty"`
	Keywords []string                   `json:"keywords,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Language is a spoken language.
type Language struct {
	Language string                     `json:"language,omitempty"`
	Fluency  string                     `json:"fluency,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Interest is a hobby or topic with its keywords.
type Interest struct {
	Name     string                     `json:"name,omitempty"`
	Keywords []string                   `json:"keywords,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Reference is a recommendation and who gave it.
type Reference struct {
	Name      string                     `json:"name,omitempty"`
	Reference string                     `json:"reference,omitempty"`
	Extra     map[string]json.RawMessage `json:"-"`
}

// Project is a piece of work outside (or alongside) a job.
type Project struct {
	Name        string                     `json:"name,omitempty"`
	Description string                     `json:"description,omitempty"`
	Highlights  []string                   `json:"highlights,omitempty"`
	Keywords    []string                   `json:"keywords,omitempty"`
	StartDate   string                     `json:"startDate,omitempty"`
	EndDate     string                     `json:"endDate,omitempty"`
	URL         string                     `json:"url,omitempty"`
	Roles       []string                   `json:"roles,omitempty"`
	Entity      string                     `json:"entity,omitempty"` // the organisation it was for
	Type        string                     `json:"type,omitempty"`   // e.g. "application", "talk"
	Extra       map[string]json.RawMessage `json:"-"`
}

// Meta describes the document itself; "sshcv" carries this server's own settings.
type Meta struct {
	Canonical    string                     `json:"canonical,omitempty"`
	Version      string                     `json:"version,omitempty"`
	LastModified string                     `json:"lastModified,omitempty"`
	SSHCV        *SSHCVMeta                 `json:"sshcv,omitempty"`
	Extra        map[string]json.RawMessage `json:"-"`
}

// SSHCVMeta holds what only sshcv reads: the keys a Markdown profile has in its front
// matter, and the Markdown sections an export could not map to a schema section.
type SSHCVMeta struct {
	Aliases  []string                   `json:"aliases,omitempty"`
	Accent   string                     `json:"accent,omitempty"`
	Default  bool                       `json:"default,omitempty"`
	Sections []MarkdownSection          `json:"sections,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// MarkdownSection is a section of a Markdown CV kept as written.
type MarkdownSection struct {
	Title    string                     `json:"title"`
	Markdown string                     `json:"markdown"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// Each MarshalJSON below encodes through a local type, which drops the methods so that
// encoding/json does not call back into them.

// MarshalJSON writes the document as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Resume) MarshalJSON() ([]byte, error) {
	type plain Resume
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the basics as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Basics) MarshalJSON() ([]byte, error) {
	type plain Basics
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the address as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Location) MarshalJSON() ([]byte, error) {
	type plain Location
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the network account as JSON: its schema fields, then the unknown keys kept in Extra.
func (v ResumeProfile) MarshalJSON() ([]byte, error) {
	type plain ResumeProfile
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the job as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Work) MarshalJSON() ([]byte, error) {
	type plain Work
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the volunteer role as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Volunteer) MarshalJSON() ([]byte, error) {
	type plain Volunteer
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the course of study as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Education) MarshalJSON() ([]byte, error) {
	type plain Education
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the award as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Award) MarshalJSON() ([]byte, error) {
	type plain Award
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the certificate as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Certificate) MarshalJSON() ([]byte, error) {
	type plain Certificate
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the publication as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Publication) MarshalJSON() ([]byte, error) {
	type plain Publication
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the skill as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Skill) MarshalJSON() ([]byte, error) {
	type plain Skill
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the language as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Language) MarshalJSON() ([]byte, error) {
	type plain Language
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the interest as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Interest) MarshalJSON() ([]byte, error) {
	type plain Interest
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the reference as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Reference) MarshalJSON() ([]byte, error) {
	type plain Reference
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the project as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Project) MarshalJSON() ([]byte, error) {
	type plain Project
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the meta object as JSON: its schema fields, then the unknown keys kept in Extra.
func (v Meta) MarshalJSON() ([]byte, error) {
	type plain Meta
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes meta.sshcv as JSON: its schema fields, then the unknown keys kept in Extra.
func (v SSHCVMeta) MarshalJSON() ([]byte, error) {
	type plain SSHCVMeta
	return marshalWithExtra(plain(v), v.Extra)
}

// MarshalJSON writes the kept section as JSON: its schema fields, then the unknown keys kept in Extra.
func (v MarkdownSection) MarshalJSON() ([]byte, error) {
	type plain MarkdownSection
	return marshalWithExtra(plain(v), v.Extra)
}

// marshalWithExtra encodes v (a struct) and appends the extra keys, sorted, before its
// closing brace. A key the struct also writes is left out: the typed field wins.
func marshalWithExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(extra) == 0 {
		return out, nil
	}
	known := jsonFieldNames(reflect.TypeOf(v))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.Write(out[:len(out)-1])
	first := len(out) == 2 // "{}"
	for _, k := range keys {
		if !first {
			b.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		value := extra[k]
		if len(bytes.TrimSpace(value)) == 0 {
			value = json.RawMessage("null")
		}
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonFieldNames returns the JSON keys of struct type t's exported fields.
func jsonFieldNames(t reflect.Type) map[string]bool {
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		if name, ok := JSONFieldName(t.Field(i)); ok {
			names[name] = true
		}
	}
	return names
}

// JSONFieldName returns the key encoding/json uses for f, and false for a field it skips.
func JSONFieldName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, true
}

// KeepUnknownKeys walks the JSON document raw beside v (a pointer to a decoded schema
// value) and stores every object key that no field claims in that object's Extra map.
// encoding/json has already checked the types of the known keys.
func KeepUnknownKeys(raw json.RawMessage, v reflect.Value) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil || obj == nil {
			return
		}
		// encoding/json matches keys to fields ignoring case, and so must this.
		t := v.Type()
		fieldByKey := make(map[string]int, t.NumField())
		var extraField reflect.Value
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Name == "Extra" && f.Type == reflect.TypeFor[map[string]json.RawMessage]() {
				extraField = v.Field(i)
				continue
			}
			if name, ok := JSONFieldName(f); ok {
				fieldByKey[strings.ToLower(name)] = i
			}
		}
		extra := map[string]json.RawMessage{}
		for k, value := range obj {
			if i, ok := fieldByKey[strings.ToLower(k)]; ok {
				KeepUnknownKeys(value, v.Field(i))
			} else {
				extra[k] = value
			}
		}
		if extraField.IsValid() && len(extra) > 0 {
			extraField.Set(reflect.ValueOf(extra))
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Struct {
			return
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		for i := 0; i < len(items) && i < v.Len(); i++ {
			KeepUnknownKeys(items[i], v.Index(i))
		}
	default:
		// scalars: encoding/json has checked them and they hold no keys
	}
}
