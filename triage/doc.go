// Package triage is the classifier: it reads a resident's free text and
// says which of the directory's routes it needs, how close danger is
// (DangerNow, DangerCheck, DangerNone), a second concern, and whether the
// message is in another language. The conversation (package flows) calls
// it on every typed message; Slack's look-up calls it on staff's words;
// whereto route prints it. Like flows it is pure: no I/O, no clock, no
// randomness, the same text and routes always give the same Result, and it
// is safe for concurrent use.
//
// Danger comes first: rules tuned for recall and aware of tense, habit,
// hypotheticals and negation (triage.go), then the model's emergency
// class, then danger words in the other languages Luton residents write in
// (languages/*.txt). Then a multinomial logistic regression (model.go),
// trained deterministically at first use from the built-in examples
// (training/*.txt, embedded; CODE.txt and CODE-*.txt files for each
// language) and each route's own examples (which count three times), picks
// the route, answering directory.RouteUnclear rather than guessing. One
// model is kept per set of routes; Warm builds it ahead of the first
// message.
//
// ParseExamples, Evaluate and Report measure it on a labelled set
// (testdata/*.tsv; docs/CLASSIFIER.md says which sets are for development
// and which are blind). The experiments that chose its features and
// thresholds are behind the experiment build tag and run as a command:
// go run -tags experiment ./scripts/experiment.
package triage
