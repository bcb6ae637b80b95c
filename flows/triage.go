package flows

import (
	"strings"
	"sync"

	"github.com/whereto-bot/whereto/directory"
)

// Triage is what a free-text message says about where to send a person.
type Triage struct {
	// Route is the best route, or directory.RouteUnclear.
	Route directory.Route
	// Confidence is between 0 and 1; 1 when danger rules fired.
	Confidence float64
	// Second is another concern the message names, or "" if none; after
	// danger it is the route to offer once the person is safe.
	Second directory.Route
	// Language names the language when the message is not English
	// ("polish", "urdu", "punjabi", "bengali", "romanian", "other"), else "".
	Language string
}

// classifier is everything Classify needs, built once from the embedded
// data files: the danger and keyword lexicon, the trained model and the
// other languages' word lists. It never changes after it is built, so it
// is safe for concurrent use.
type classifier struct {
	lx    *lexicon
	model *model
}

// buildClassifier trains the model from training.txt and reads
// languages.txt.
func buildClassifier(opt trainOptions) (*classifier, error) {
	examples, err := parseTraining(trainingData)
	if err != nil {
		return nil, err
	}
	lx := compiled()
	if lx.langErr != nil {
		return nil, lx.langErr
	}
	return &classifier{lx: lx, model: trainModel(examples, lx, opt)}, nil
}

var loadClassifier = sync.OnceValues(func() (*classifier, error) {
	return buildClassifier(defaultTrainOptions)
})

// Warm builds the classifier now (it is otherwise built on first use, in
// a few tens of milliseconds) and reports whether its data files are sound.
// A service calls it at start-up so that the first person does not wait.
func Warm() error {
	_, err := loadClassifier()
	return err
}

// Decision thresholds, chosen on out-of-fold predictions over the training
// file (docs/CLASSIFIER.md), never on the evaluation sets.
const (
	// dangerProb is the model's emergency probability that counts as
	// danger on its own, when the message does not place events in the
	// past; dangerProbPast when it does.
	dangerProb     = 0.20
	dangerProbPast = 0.75
	// minConfidence is the confidence below which Classify answers unclear
	// and the bot asks instead of guessing.
	minConfidence = 0.45
	// secondProb is the share a second concern needs to be offered.
	secondProb = 0.20
)

// Classify reads free text and says which route it needs. Danger comes
// first and wins over everything: the danger rules (tuned for recall), the
// model's emergency class, and danger words in the other languages Luton
// residents write in. Then the model picks among the other routes,
// answering directory.RouteUnclear rather than guessing when it is not
// confident. It is pure, safe on any input, and safe for concurrent use.
func Classify(text string) Triage { return classify(clean(text)) }

// classify is Classify on text already cleaned, so that the conversation,
// which cleans each message first, does not clean it twice.
func classify(c cleaned) Triage {
	n := normalise(c.text)
	t := Triage{Route: directory.RouteUnclear}
	cl, err := loadClassifier()
	if err != nil {
		// Only a broken build gets here (a test guards the data files):
		// keep the danger rules working.
		cl = &classifier{lx: compiled()}
	}
	m := cl.lx.match(n)
	t.Language = detectLanguage(cl.lx, c.text, m)
	if t.Language != "" {
		if foreignDanger(m, false) || danger(cl.lx, n, c.text, m) {
			t.Route, t.Confidence = directory.RouteEmergency, 1
		}
		return t
	}
	if cl.model == nil {
		if danger(cl.lx, n, c.text, m) {
			t.Route, t.Confidence = directory.RouteEmergency, 1
		}
		return t
	}
	p := cl.model.predict(n, m)
	ruleDanger := danger(cl.lx, n, c.text, m) || foreignDanger(m, true)
	return decide(p, ruleDanger, pastOnly(n, m))
}

// pastOnly reports whether the message places events in the past and says
// nothing of them going on now.
func pastOnly(n string, m *matches) bool {
	past, saysNow := tense(n, m)
	return past && !saysNow
}

// tense reads when a message places events: past is set when it speaks of
// the past, a habit or a hypothetical; saysNow when it says they are going
// on now ("right now", or a "now" that is not only about what followed).
func tense(n string, m *matches) (past, saysNow bool) {
	past = m.any[listPast] || m.any[listHypothetical] || strings.Contains(n, " last ")
	saysNow = m.any[listNow] || (m.any[listWeakNow] && !m.any[listConsequence])
	return past, saysNow
}

// decide turns the model's probabilities and the danger rules into a
// triage.
func decide(p [labelCount]float64, ruleDanger, past bool) Triage {
	return decideWith(p, ruleDanger, past, dangerProb, dangerProbPast, minConfidence)
}

// decideWith is decide with its thresholds as arguments, for tuning.
func decideWith(p [labelCount]float64, ruleDanger, past bool, dangerProb, dangerProbPast, minConfidence float64) Triage {
	const emergency, unclear = 0, labelCount - 1
	labels := classLabels()
	// The best and second-best concerns other than danger, with the
	// probabilities renormalised without the emergency class.
	rest := 1 - p[emergency]
	if rest < 1e-9 {
		rest = 1e-9
	}
	best, second := -1, -1
	for c := 1; c < labelCount; c++ {
		switch {
		case best < 0 || p[c] > p[best]:
			best, second = c, best
		case second < 0 || p[c] > p[second]:
			second = c
		}
	}
	modelDanger := p[emergency] >= dangerProb && !past || p[emergency] >= dangerProbPast
	if ruleDanger || modelDanger {
		t := Triage{Route: directory.RouteEmergency, Confidence: 1}
		if !ruleDanger {
			t.Confidence = p[emergency]
		}
		// A crime in progress is reported by the 999 call itself; other
		// concerns (hate crime, a child at risk) are offered afterwards.
		if best != unclear && labels[best] != directory.RouteReportCrime && p[best]/rest >= secondProb {
			t.Second = labels[best]
		}
		return t
	}
	conf := p[best] / rest
	if best == unclear || conf < minConfidence {
		return Triage{Route: directory.RouteUnclear, Confidence: conf}
	}
	t := Triage{Route: labels[best], Confidence: conf}
	if second >= 0 && second != unclear && p[second]/rest >= secondProb {
		t.Second = labels[second]
	}
	return t
}

// negations are phrases that say there is no danger; they are removed
// before the danger rules run so that "nobody is in danger" is not danger.
var negations = []string{
	"not an emergency", "not a emergency", "no emergency", "isnt an emergency",
	"not urgent", "no one is in danger", "nobody is in danger", "not in danger",
	"no danger", "no one is hurt", "nobody is hurt", "no one was hurt",
	"nobody was hurt", "no one hurt", "nobody hurt", "not happening now",
	"not happening right now", "not injured", "no one injured", "nobody injured",
	"not right now",
}

// immediate phrases mean danger whatever the tense.
var immediate = []string{
	// breathing, consciousness, poisoning
	"cannot breathe", "can not breathe", "not breathing", "stopped breathing",
	"struggling to breathe", "cannot breath", "cannot get my breath",
	"cannot catch my breath", "chest pain", "heart attack", "having a stroke",
	"unconscious", "not waking up", "will not wake",
	"cannot wake", "going blue", "turning blue", "lips are blue",
	// self-harm and suicide
	"kill myself", "killing myself", "end my life", "end it all", "suicidal",
	"suicide", "commit suicide", "no reason to live", "ending it all",
	"ending my life", "too many pills", "took pills", "taken pills",
	"paracetamol", "too many tablets", "hurt myself", "harm myself",
	"take my own life", "want to die", "do not want to be here",
	"dont want to be here", "taken all my", "took all my", "overdose",
	"overdosed", "od d", "packet of pills", "whole packet", "want to jump",
	"going to jump", "about to jump", "jump off",
	// dying, bleeding
	"he is dying", "she is dying", "someone is dying", "somebody is dying",
	"they are dying", "baby is dying", "bleeding", "lots of blood",
	"blood everywhere", "do not know where i am", "dont know where i am",
	"cannot stand up", "cant stand up", "cannot get up", "can not get up",
	"on the train tracks", "on the tracks", "on the railway line",
	"my last message", "goodbye everyone", "goodbye forever", "swallowed",
	"drank bleach", "been poisoned", "hostage", "held hostage",
	// said outright
	"in danger", "in progress", "happening now", "happening right now",
	"going on now", "going on right now", "still going on", "sos",
	"call an ambulance", "need an ambulance",
}

// present phrases mean danger unless the message places them in the past
// ("last week", "since the burglary") or says they happen habitually
// ("every weekend"), without saying it is going on now.
var present = []string{
	// attacks
	"being attacked", "attacking", "attacked me", "hitting me", "hitting her",
	"hitting him", "beating me", "beating her", "beating him", "beating up",
	"punching", "kicking me", "strangling", "choking", "hurting me",
	"hurting her", "hurting him", "fighting", "a fight", "assaulting",
	"being assaulted", "being robbed", "robbing", "mugging me", "grabbed me",
	"being stabbed", "being beaten", "being hit", "being hurt", "kicking",
	"emergency", "999", "slashed", "been slashed", "fight at", "fight in",
	"fight on", "armed robbery", "robbery happening", "threatening to stab",
	"threatening to shoot", "threatening to burn", "trying the door",
	"trying the handle", "trying the window", "trying the skylight",
	"trying doors", "trying the doors", "on the roof", "in the loft",
	"have broken in", "have broken into", "has broken in", "has broken into",
	"something burning", "burning through", "through our letterbox",
	"through the letterbox", "being kept", "kept in a", "took my passport",
	"will not let me go", "wont let me go", "cannot leave",
	"being thrown", "thrown about", "thrown around", "being dragged",
	"fight outside", "massive fight", "big fight", "fight going on",
	"got a bottle", "with a bottle", "glassed", "badly hurt", "badly injured",
	"seriously hurt", "cut himself", "cut herself",
	"battering", "stamping on", "slashing", "kicking off", "dragging",
	"bundled into", "forcing her", "forcing him", "throwing stones",
	"throwing bricks", "throwing bottles", "throwing stuff at",
	"throwing things at", "throwing rocks", "locked me in", "locked her in",
	"locked him in", "locked us in", "will not let me leave",
	"wont let me leave", "took my phone",
	// intrusion
	"trying to get in", "trying to break in", "breaking in", "breaking into",
	"kicking the door", "kicking my door", "kicking down", "kicking in",
	"smashing the door", "smashing my door", "climbing in", "climbing through",
	"in my house", "in the house", "in my home", "in my garden", "in my flat",
	"someone is inside", "somebody is inside", "following me", "chasing me",
	"will not let her out", "will not let him out", "will not let me out",
	"wont let her out", "wont let him out", "wont let me out",
	// threats to kill or hurt
	"going to kill", "kill me", "kill you", "kill her", "kill him", "kill us",
	"going to hurt", "hurt me", "threatening to kill", "threatening to hurt",
	"wants to kill", "will kill", "gonna kill", "going to stab",
	// fire and gas
	"on fire", "set fire", "set on fire", "fire spreading", "its spreading",
	"is spreading", "smoke coming", "smoke pouring", "house is burning",
	"is burning", "fire in", "smoke everywhere", "smell of gas", "gas leak",
	// weapons and shots
	"gunshot", "gunshots", "shots fired", "shooting", "stabbing", "stabbed",
	"been stabbed", "been shot", "has a gun", "has a knife", "with a knife",
	"with a gun", "got a knife", "got a gun", "holding a knife",
	"waving a knife", "pulled a knife", "machete", "weapon", "knife", "gun",
	"blade", "crowbar", "baseball bat", "acid",
	// other signs
	"screaming", "glass breaking", "smashing", "locked in", "kidnapped",
	"taken my child", "taken my son", "taken my daughter", "missing child",
	"child is missing", "spiked", "collapsed", "seizure", "having a fit",
	"head injury", "passed out", "scared for my life", "fear for my life",
	"not safe", "ending it", "carrying her",
	"carrying him", "into a car", "into a van", "into the car", "into the van",
}

// needsNow phrases are danger only when the message says it is happening
// now ("he's outside my house now", "threatening me right now").
var needsNow = []string{
	"threatening me", "threatening us", "will not leave me", "wont leave me",
	"will not go away", "refusing to leave",
	"outside my house", "outside my door", "outside the house", "banging on",
	"shouting", "left alone", "home alone", "on his own", "on her own",
	"drunk and", "high and",
}

// childWho and childRisk together describe a child in danger ("my 5 year
// old ... cant find her", "little boy on his own by the dual carriageway").
var childWho = []string{
	"child", "children", "kid", "kids", "boy", "girl", "toddler", "baby",
	"son", "daughter", "year old", "yr old", "little one", "infant",
}

var childRisk = []string{
	"on his own", "on her own", "alone", "wandering", "cannot find",
	"cant find", "can not find", "missing", "lost", "carriageway",
	"main road", "motorway", "in the road", "hot car", "locked in",
	"near the river", "near the canal", "in the water", "fell",
}

// pastMarkers place an event in the past or say it happens habitually.
var pastMarkers = []string{
	"yesterday", "last night", "last week", "last month", "last year",
	"last weekend", "last time", "ago", "earlier", "the other day",
	"in the past", "used to", "previously", "back in", "this morning",
	"few days", "few weeks", "weeks", "months", "years", "ever since",
	"since the", "since i", "since my", "since he", "since she", "since they",
	"since we", "after the", "after being", "after a", "after seeing",
	"after my", "after he", "after she", "on monday", "on tuesday",
	"on wednesday", "on thursday", "on friday", "on saturday", "on sunday",
	"every weekend", "every night", "every day", "every week", "all the time",
	"always", "constantly", "regularly", "often", "for months",
	"for weeks", "for years", "has been going on", "was stabbed",
	"got stabbed", "were stabbed", "was attacked", "got attacked",
	"was robbed", "got robbed", "was mugged", "got mugged", "was assaulted",
	"was burgled", "got burgled", "knife crime", "knifepoint", "was spiked",
	"got spiked", "keeps going missing", "goes missing", "go missing",
}

// nowMarkers say an event is still happening.
var nowMarkers = []string{
	"minutes ago", "mins ago", "min ago", "seconds ago", "just now",
	"just happened", "right now", "currently", "at the moment", "tonight", "still there",
	"still here", "still outside", "still in the", "still inside",
	"is coming", "are coming", "coming to get", "coming for", "coming back to",
	"on his way", "on her way", "on their way", "as we speak", "as i type",
	"hurry", "quick",
}

// weakNow is "now", which says an event goes on unless it only says what
// followed ("... two weeks ago and now im scared").
var weakNow = []string{"now"}

// consequence phrases use "now" for what followed an event.
var consequence = []string{
	"and now", "now i am", "now i", "now he is", "now she is", "now we are",
	"now they are", "now my", "now our", "since then", "for months now",
	"for weeks now", "for years now", "going on for",
}

// hypothetical phrases ask about danger rather than report it.
var hypothetical = []string{
	"what should i do if", "what do i do if", "what to do if", "if someone",
	"if somebody", "if i saw", "if i see", "who would i tell",
	"what happens if", "how do i report", "how can i report",
	"should i report", "is it a crime", "awareness", "talk at school",
	"i saw", "saw a", "witnessed", "all night", "what happens when",
	"what counts as", "or 999", "for a non emergency", "when should i call",
	"should i call", "would i be allowed",
}

// shortDanger words are danger on their own in a message of at most three
// words ("fire", "knife!!", "help police").
var shortDanger = []string{
	"fire", "knife", "gun", "help", "stabbed", "attack", "attacked",
	"ambulance", "burglar", "burglars", "intruder", "rape", "emergency",
	"999", "hepl", "hlep", "halp", "hellp", "helpp", "heelp",
	"raped", "shot", "bleeding", "danger", "hurt",
}

// urgentHelp phrases are cries for help. With urgency (an exclamation mark,
// "now", "please", repetition) they are danger.
var urgentHelp = []string{
	"help me", "help us", "please help", "somebody help", "someone help",
	"need help now", "help help", "need the police", "call the police",
	"send the police", "send police", "call an ambulance", "need an ambulance",
}

// urgency words turn a cry for help into danger.
var urgency = []string{"now", "please", "quick", "quickly", "urgent", "asap"}

// danger applies the danger rules to the normalised text n (raw is the
// cleaned original, for punctuation). It is tuned for recall: a false alarm
// costs a line of text, a miss can cost a life.
func danger(lx *lexicon, n, raw string, m *matches) bool {
	if m.any[listNegation] {
		for _, neg := range lx.negations {
			n = strings.ReplaceAll(n, neg, " ")
		}
		m = lx.match(n)
	}
	if m.any[listImmediate] {
		return true
	}
	if m.any[listUrgentHelp] && (strings.Contains(raw, "!") || m.any[listUrgency] || strings.Count(n, " help ") > 1) {
		return true
	}
	if m.words <= 3 && m.any[listShortDanger] {
		return true
	}
	past, saysNow := tense(n, m)
	now := saysNow || !past
	switch {
	case m.any[listPresent] && now:
		return true
	case m.any[listNeedsNow] && saysNow:
		return true
	case m.any[listChildWho] && m.any[listChildRisk] && now:
		return true
	}
	return false
}

// keyword is one piece of evidence for a route. Phrases match whole words;
// prefixes (ending in '*') match the start of a word.
type keyword struct {
	phrase string
	weight float64
}

// routeKeywords are words and phrases that are evidence for a route,
// weighted by how specific they are. The model takes their matches as
// features, which carries knowledge the training examples may lack.
var routeKeywords = map[directory.Route][]keyword{
	directory.RouteEnvironmental: {
		{"fly tip*", 3}, {"flytip*", 3}, {"fly tipped", 3}, {"dumped", 2}, {"dumping", 2},
		{"rubbish", 2}, {"litter*", 2}, {"graffiti", 3}, {"dog fouling", 3}, {"dog poo", 3},
		{"dog mess", 3}, {"abandoned car", 3}, {"abandoned vehicle", 3}, {"abandoned van", 3},
		{"parking", 2}, {"parked", 1.5}, {"bins", 1.5}, {"bin bags", 2}, {"waste", 2},
		{"mattress*", 2}, {"fridge", 1}, {"sofa", 1}, {"tyres", 1.5}, {"needles", 1.5},
		{"environmental", 3}, {"mess", 1}, {"spray paint*", 2}, {"tagging", 2},
		{"overflowing", 1.5}, {"fouling", 3}, {"pavement", 1}, {"blocking my drive", 2},
		{"noise", 1}, {"burning rubbish", 2}, {"pest*", 1}, {"rats", 1.5},
	},
	directory.RouteHateCrime: {
		{"hate crime", 4}, {"hate incident", 4}, {"racis*", 3}, {"racial*", 3},
		{"homophob*", 3}, {"transphob*", 3}, {"islamophob*", 3}, {"antisemit*", 3},
		{"anti semit*", 3}, {"because of my race", 3}, {"because of my religion", 3},
		{"because i am gay", 3}, {"because i am black", 3}, {"because i am muslim", 3},
		{"because i am disabled", 3}, {"because i am trans", 3}, {"because of my disability", 3},
		{"because of who", 2}, {"my skin", 2}, {"colour", 1}, {"religion", 2}, {"religious", 2},
		{"mosque", 2}, {"synagogue", 2}, {"gurdwara", 2}, {"temple", 1.5}, {"church", 1},
		{"headscarf", 2}, {"hijab", 2}, {"turban", 2}, {"slur*", 2}, {"go back to", 2},
		{"gay", 1.5}, {"lesbian", 1.5}, {"trans", 1.5}, {"transgender", 2}, {"disabled", 1},
		{"disability", 1.5}, {"wheelchair", 1}, {"muslim", 1.5}, {"jewish", 1.5}, {"sikh", 1.5},
		{"hindu", 1.5}, {"black", 1}, {"asian", 1}, {"polish", 1}, {"foreigner", 1.5},
		{"immigrant*", 1.5}, {"targeted", 1.5}, {"hate", 1.5}, {"hostility", 2},
	},
	directory.RouteSafeguarding: {
		{"safeguarding", 4}, {"child", 2}, {"children", 2}, {"kid", 2}, {"kids", 2},
		{"baby", 2}, {"toddler", 2}, {"teenager", 1.5}, {"girl", 1}, {"boy", 1},
		{"pupil", 2}, {"student", 1}, {"grandchild", 2}, {"niece", 1}, {"nephew", 1},
		{"neglect*", 3}, {"abuse", 2}, {"abused", 2}, {"abusing", 2}, {"groom*", 3},
		{"exploit*", 3}, {"cuckoo*", 3}, {"county lines", 3}, {"vulnerable", 2.5},
		{"elderly", 2}, {"old lady", 1.5}, {"old man", 1.5}, {"dementia", 2},
		{"carer", 2}, {"care home", 2}, {"not being fed", 3}, {"not fed", 2},
		{"bruises", 2}, {"bruised", 2}, {"self harm*", 2}, {"at risk", 2.5},
		{"radicalis*", 3}, {"forced marriage", 3}, {"fgm", 3}, {"modern slavery", 3},
		{"trafficked", 3}, {"trafficking", 3}, {"unsafe at home", 3}, {"social services", 3},
		{"social worker", 3}, {"worried about", 1.5}, {"concerned about", 1.5},
		{"mash", 4}, {"domestic abuse", 2}, {"domestic violence", 2}, {"coercive", 2},
		{"controlling", 1.5}, {"under 18", 1.5}, {"underage", 2}, {"school", 1},
	},
	directory.RouteVictimSupport: {
		{"support", 2}, {"someone to talk to", 3}, {"talk to someone", 3}, {"cope", 2.5},
		{"coping", 2.5}, {"counsel*", 2.5}, {"upset", 1.5}, {"scared", 1.5}, {"anxious", 1.5},
		{"anxiety", 1.5}, {"traumatis*", 2.5}, {"trauma", 2.5}, {"cannot sleep", 2},
		{"struggling", 2}, {"victim", 2}, {"victims", 2}, {"affected by", 2}, {"after a crime", 2},
		{"after the crime", 2}, {"since the", 1}, {"since i was", 1.5}, {"advice", 1},
		{"help after", 2}, {"emotional", 2}, {"feel", 1}, {"feeling", 1}, {"shaken", 2},
		{"signpost", 4}, {"bereaved", 2.5}, {"grief", 2}, {"court", 1.5}, {"witness", 1},
		{"what now", 1}, {"need help", 1}, {"get help", 1},
	},
	directory.RouteReportCrime: {
		{"report a crime", 3}, {"report crime", 3}, {"crime", 1.5}, {"stole*", 2.5}, {"steal*", 2.5},
		{"stolen", 2.5}, {"theft", 2.5}, {"thief", 2.5}, {"nicked", 2.5}, {"pinched", 2},
		{"burgl*", 3}, {"broke in", 3}, {"broken into", 3}, {"robbed", 3}, {"robbery", 3},
		{"mugged", 3}, {"assault*", 2.5}, {"attacked", 2}, {"punched", 2}, {"vandal*", 2.5},
		{"criminal damage", 3}, {"smashed", 1.5}, {"keyed", 2}, {"drug*", 2.5}, {"dealing", 2.5},
		{"dealer*", 2.5}, {"weed", 2}, {"cannabis", 2}, {"anti social", 3}, {"antisocial", 3},
		{"asb", 3}, {"youths", 2}, {"gang", 1.5}, {"fraud", 2.5}, {"scam*", 2.5},
		{"harass*", 2.5}, {"stalk*", 2.5}, {"threat*", 2}, {"shoplift*", 3}, {"intelligence", 2},
		{"information about", 1.5}, {"suspicious", 2}, {"police", 1.5}, {"report", 1},
		{"car broken", 3}, {"catalytic", 3}, {"bike", 1}, {"phone", 0.5}, {"wallet", 1.5},
		{"purse", 1.5}, {"handbag", 1.5}, {"speeding", 1.5}, {"nuisance", 1.5},
		{"motorbikes", 1.5}, {"off road bikes", 2}, {"loud music", 1.5},
		{"knife", 2.5}, {"gun", 2.5}, {"weapon", 2.5}, {"pulled a knife", 3}, {"threatened", 2},
	},
}
