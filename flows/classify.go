package flows

import "github.com/whereto-bot/whereto/triage"

// MaxReadBytes is how much of a message the conversation reads
// (triage.MaxReadBytes): longer messages are read up to this point and the
// person is told so. Channels use it to bound what they accept.
const MaxReadBytes = triage.MaxReadBytes

// Warm builds the classifier for dir's routes now (triage.Warm), so that
// the first person does not wait, and reports whether the data it learns
// from is sound. A service calls it at start-up.
func Warm(dir Directory) error { return triage.Warm(dir) }
