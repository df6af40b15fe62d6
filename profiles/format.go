package profiles

import "strings"

// ExportFormat is a form a CV is given out in. The one list, ExportFormats, is what the
// SSH commands ("ssh rohit@host json"), "sshcv render --format" and the web side's file
// addresses (/rohit.json) and page footer offer.
type ExportFormat struct {
	Name        string   // the SSH command and the --format value: "json"
	Aliases     []string // other --format values: "markdown", "vcf"
	Ext         string   // the file extension on the web and in downloads: "json"
	ContentType string   // "application/json"
	Title       string   // what a reader calls it: "JSON Resume"

	// Export writes the file. It is nil for plain text, which the viewer's renderer lays
	// out at a width (tui.Renderer.Text), and for the PDF, typeset on a paper size by
	// package pdf and cached by the renderer (tui.Renderer.PDF); the caller writes those.
	Export func(*Profile) ([]byte, error)
}

// FormatText and FormatPDF are the Names of the formats without an Export.
const (
	FormatText = "text"
	FormatPDF  = "pdf"
)

// ExportFormats lists every format, in the order help and menus show them.
var ExportFormats = []ExportFormat{
	{Name: FormatText, Ext: "txt", ContentType: "text/plain; charset=utf-8", Title: "plain text"},
	{Name: "md", Aliases: []string{"markdown"}, Ext: "md", ContentType: "text/markdown; charset=utf-8", Title: "Markdown",
		Export: func(p *Profile) ([]byte, error) { return ExportMarkdown(p), nil }},
	{Name: "json", Ext: "json", ContentType: "application/json", Title: "JSON Resume", Export: ExportJSONResume},
	{Name: "vcard", Aliases: []string{"vcf"}, Ext: "vcf", ContentType: "text/vcard; charset=utf-8", Title: "vCard",
		Export: func(p *Profile) ([]byte, error) { return ExportVCard(p), nil }},
	{Name: FormatPDF, Ext: "pdf", ContentType: "application/pdf", Title: "PDF"},
}

// FormatNamed finds a format by its name or one of its aliases, ignoring case.
func FormatNamed(name string) (ExportFormat, bool) {
	for _, f := range ExportFormats {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(a, name) {
				return f, true
			}
		}
	}
	return ExportFormat{}, false
}

// FormatForExt finds a format by its file extension ("json", "vcf"), ignoring case.
func FormatForExt(ext string) (ExportFormat, bool) {
	for _, f := range ExportFormats {
		if strings.EqualFold(f.Ext, ext) {
			return f, true
		}
	}
	return ExportFormat{}, false
}

// FormatNames is the names of every format, for help and error messages.
func FormatNames() []string {
	names := make([]string, len(ExportFormats))
	for i, f := range ExportFormats {
		names[i] = f.Name
	}
	return names
}
