package profiles

// Resume is a JSON Resume document (schema 1.0.0). Its full definition arrives with the
// JSON Resume loader.
type Resume struct{}
