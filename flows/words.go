package flows

import (
	"fmt"
)

// Everything the bot says that is not a contact detail or a route's own
// words (which are data, in the directory) lives here, so that wording can
// be reviewed in one place. Sentences are short and the words common: a
// test holds every string to a reading age of about 9.

const (
	msgMenu         = "What do you want to do?"
	msgOwnWords     = "Tell me in a few words what happened or what worries you. I do not keep what you write."
	msgFind         = "Which contact do you want? Choose one, or type a name, like MASH or 101."
	msgFound        = "I found these. Which one?"
	msgAnythingElse = "Can I help with anything else?"
	msgAfterDanger  = "When you are safe, I can tell you where to get help."
	msgEmpty        = "I did not get any words there."
	msgPleaseChoose = "Sorry, I did not follow. Please choose an answer below."
	msgUnclear      = "Sorry, I am not sure what you mean, and I do not want to guess. Which of these is closest?"
	msgNotEnglish   = "Sorry, I can only read English for now. Please write in English if you can, or choose from the menu. In an emergency, call 999 even if you do not speak English. Say the name of your language and they will find someone to help."
	msgTruncated    = "That was a long message, so I only read the first part. A few words are enough."
	msgUnknownCmd   = "I do not know that command."
	msgLostTrack    = "Sorry, I lost track of where we were. I clear chats after a while. Let us start again."
	msgHelpIntro    = "I can tell you where to report something, or where to get help, in %s. Choose from the menu, or tell me in your own words."
	msgHelpCommands = "Commands:\n/start: start again\n/help: this help\n/about: about this service\n/forget: delete this chat\n/emergency: what to do in an emergency"
	msgWelcome      = "Hello. I can tell you where to report something, or where to get help, in %s."
	msgPrivacy      = "I do not keep what you write. Send /forget to delete this chat."
	msgDangerLine   = "If you are in danger now, call %s."
	msgCallNow      = "Call %s now."
	msgDangerCheck  = "Is this happening now?"
	msgDangerYes    = "Yes, now"
	msgDangerNo     = "No, I am safe now"
	msgWhatAbout    = "Thank you. What is it about?"
	msgMoreOptions  = "More options"
	msgOr           = "Or:"
	msgOtherOptions = "Other places that can help:"
	msgStartAgain   = "Start again"
	msgBackToMenu   = "Back to the menu"
	msgFindContact  = "Find a contact"
	msgOwnWordsBtn  = "Tell me in your own words"
	msgFindAnother  = "Find another contact"
	msgNotice       = "Notice: "

	msgWhereHappened = "Where did it happen? Type a town or postcode, or choose below."
	msgWhereLives    = "Where does the person live? Type a town or postcode, or choose below."
	msgInArea        = "In %s"
	msgElsewhere     = "Somewhere else"
	msgNotInArea     = "Not in %s?"
	msgSkip          = "Skip"
	msgUnknownPlace  = "I do not know that place. Type a town or a postcode like LU2 7AB, or choose below."
	msgNotYourArea   = "%s only helps people in %s."
	msgCovers        = "This is for %s."
	msgElsewhereGo   = "If it is not in %s, here is where to go:"
	msgClosed        = "%s is %s. Here is where else to go."
	msgClosedNow     = "closed for now"
	msgNotAvailable  = "not open at the moment"

	msgOpenAlways   = "Open day and night."
	msgHoursUnknown = "Opening hours not known."
	msgCheckWebsite = " Check the website."
	msgOpenNow      = "Open now: %s."
	msgClosedHours  = "Closed now. Open %s."
	msgClosedToday  = "Closed today: %s."
	msgUseOOH       = " Use the out-of-hours number."
	msgClosesAt     = " It closes at %s. After that, use the out-of-hours number."
	msgCall         = "Call %s"
	msgText         = "Text %s"
	msgWebsite      = "Website"
	msgEmail        = "Email"
	msgApology      = "Sorry, something went wrong on my side. Please try again in a moment, or send /start."
	msgForgetFailed = "Sorry, I could not delete this chat just now. Please send /forget again in a moment. It is deleted by itself after a few hours. I never keep what you write."
	msgAboutRoutes  = "I can help with:"
	msgAboutRun     = "Run by the %s."
	msgAboutWebsite = "Website: %s"
	msgDayRange     = "%s to %s"
	msgDayList      = "%s and %s"
	msgTimeRange    = "%s to %s"
	msgBankHolidays = ", not bank holidays"
	msgAllWeek      = "every day"
	msgMidnight     = "midnight"
	msgDayAndNight  = "day and night"
	msgMerged       = "You sent a few messages at once. This is my answer to the last one."
	msgMergedUrgent = "You sent a few messages at once. This is my answer to the one that may be about danger."
)

// dayWords names days for people.
var dayWords = map[string]string{
	"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
	"fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}

// Apology is said when something went wrong inside whereto while handling
// a message. It always carries the emergency line, so that a fault never
// leaves a person in danger without the number.
func Apology(dir Directory) (replies []Reply) {
	defer func() {
		if recover() != nil {
			// The directory itself is broken; 999 is right everywhere in
			// the UK, and this is the one place it is not read from data.
			replies = []Reply{{Text: msgApology + "\n\n" + fmt.Sprintf(msgDangerLine, "999")}}
		}
	}()
	c := &conv{dir: dir}
	return []Reply{{Text: msgApology + "\n\n" + c.emergencyLine()}}
}

// ForgetFailed is said when /forget could not delete the session.
func ForgetFailed(dir Directory) []Reply {
	c := &conv{dir: dir}
	return []Reply{{Text: msgForgetFailed + "\n\n" + c.emergencyLine()}}
}

// Strings returns every fixed string the bot may say to a resident (not
// the directory's data), for the readability and word-limit tests.
func Strings() []string {
	return []string{
		msgMenu, msgOwnWords, msgFind, msgFound, msgAnythingElse, msgAfterDanger,
		msgEmpty, msgPleaseChoose, msgUnclear, msgNotEnglish, msgTruncated,
		msgUnknownCmd, msgLostTrack, msgHelpIntro, msgWelcome, msgPrivacy,
		msgDangerLine, msgCallNow, msgDangerCheck, msgDangerYes, msgDangerNo,
		msgWhatAbout, msgMoreOptions, msgOtherOptions, msgStartAgain,
		msgBackToMenu, msgFindContact, msgOwnWordsBtn, msgFindAnother,
		msgWhereHappened, msgWhereLives, msgElsewhere, msgNotInArea, msgUnknownPlace,
		msgNotYourArea, msgCovers, msgElsewhereGo, msgClosed, msgOpenAlways,
		msgHoursUnknown, msgCheckWebsite, msgOpenNow, msgClosedHours,
		msgClosedToday, msgUseOOH, msgClosesAt, msgApology, msgForgetFailed,
		msgAboutRoutes, msgMerged, msgMergedUrgent,
	}
}
