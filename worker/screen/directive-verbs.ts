/** The directive head's verb classes, shared by its rules (directives.ts) and its guard (directive-guard.ts). */

/** Stop following what you were told. */
export const OVERRIDE_VERB =
  "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|discard|abandon|set aside|throw out|stop following|do not follow|don't follow|no longer follow|cease following" +
  // round 45: the same order in other words (round 44's list without "never mind")
  "|pay no attention to|pay no heed to|take no notice of|skip|drop|neglect|overlook|dismiss|scrap|ditch|put aside|leave behind|do away with|delete|erase|wipe|reset|stop obeying|do not obey|don't obey|no longer obey)";
/** Show what you were told. */
export const REVEAL_VERB = "(?:repeat|print|output|reveal|show|display|tell me|give me|share|list(?! of)|write out|write down|copy|recite|spell out|leak|dump|echo|translate|summari[sz]e|disclose|expose)";
