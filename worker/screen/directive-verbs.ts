/** The directive head's verb classes, shared by its rules (directives.ts) and its guard (directive-guard.ts). */

/** Stop following what you were told. */
export const OVERRIDE_VERB = "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|discard|abandon|set aside|throw out|stop following|do not follow|don't follow|no longer follow|cease following)";
/** Show what you were told. */
export const REVEAL_VERB = "(?:repeat|print|output|reveal|show|display|tell me|give me|share|list(?! of)|write out|write down|copy|recite|spell out|leak|dump|echo|translate|summari[sz]e|disclose|expose)";
