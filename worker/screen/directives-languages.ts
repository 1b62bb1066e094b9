/**
 * The directive head's rules in other languages (directives.ts): the override (rounds 26–29), and
 * since round 30 the extraction request and the "you have no rules now" persona, in the 17
 * languages of the multilingual attack sources and a few neighbours. Written by hand from the
 * languages, not from any data set; each form needs the second person or a system word, so that
 * "I forgot my password" or "show the wifi password" stays harmless.
 *
 * Latin-script forms start with an ASCII letter and are matched at a word boundary; the others are
 * tried only when a text has letters of another script. Text arrives `normalize()`d (lower case,
 * NFKC, words made only of look-alikes folded to ASCII: a lone Cyrillic "у" reads "y"), so every
 * pattern is passed through the same `normalize()` (hence `[^\s]`, not `\S`, which lower case
 * would turn into `\s`).
 */
import { normalize } from "./normalize";

const normalized = (patterns: string[]) => patterns.map((p) => normalize(p));

export const LATIN_OVERRIDE = normalized([
  "(?:ignorier(?:e|en sie)|vergiss|vergessen sie|missachte)\\s+(?:alle\\s+)?(?:vorherigen|bisherigen|obigen|vorigen|früheren|deine|ihre)\\s+(?:anweisungen|instruktionen|befehle|regeln|vorgaben)",
  "(?:ignore[zr]?|oublie[zr]?|ne tiens pas compte d)\\s+(?:de\\s+)?(?:toutes\\s+)?(?:les|tes|vos)\\s+(?:instructions|consignes|règles|directives)\\s+(?:précédentes|ci-dessus|antérieures|initiales)",
  "(?:ignora|olvida|olvide|ignore|descarta)\\s+(?:todas\\s+)?(?:las|tus|sus)\\s+(?:instrucciones|indicaciones|reglas|órdenes)\\s+(?:anteriores|previas|de arriba|iniciales)",
  "(?:ignora|dimentica)\\s+(?:tutte\\s+)?(?:le)\\s+(?:istruzioni|regole|indicazioni)\\s+(?:precedenti|sopra|iniziali)",
  "(?:ignore|ignora|esqueça|esqueca|desconsidere)\\s+(?:todas\\s+)?(?:as)\\s+(?:instruções|instrucoes|regras|orientações)\\s+(?:anteriores|acima|iniciais)",
  "(?:negeer|vergeet)\\s+(?:alle\\s+)?(?:eerdere|vorige|voorgaande|bovenstaande)\\s+(?:instructies|regels|opdrachten)",
  "(?:zignoruj|zapomnij)\\s+(?:wszystkie\\s+)?(?:poprzednie|wcześniejsze)\\s+(?:instrukcje|polecenia|zasady)",
  // round 30
  "(?:ignora|olvida|ignore|olvide)\\s+todo\\s+lo\\s+(?:anterior|que (?:te )?(?:dije|dijeron) antes)",
  "(?:ignore[zr]?|oublie[zr]?)\\s+tout\\s+ce\\s+qui\\s+(?:précède|a été dit)",
  "(?:ignoriere|vergiss)\\s+alles\\s+(?:davor|vorher|bisherige|bisher gesagte|oben|obige|was (?:dir )?(?:vorher|zuvor) gesagt wurde)",
  "(?:ignora|dimentica)\\s+tutto\\s+(?:quanto\\s+)?(?:sopra|precedente|detto prima|quello che ti è stato detto)",
  "(?:ignore|ignora|esqueça|esqueca)\\s+tudo\\s+(?:o que foi dito\\s+)?(?:acima|anteriormente|antes)",
  "(?:bỏ qua|phớt lờ|quên|hãy bỏ qua|hãy quên)\\s+(?:đi\\s+)?(?:tất cả\\s+|mọi\\s+)?(?:các\\s+|những\\s+)?(?:hướng dẫn|chỉ dẫn|chỉ thị|lệnh|quy tắc)\\s+(?:trước đó|trước|ở trên|phía trên|ban đầu)",
  "(?:abaikan|lupakan|jangan hiraukan|acuhkan)\\s+(?:semua\\s+|seluruh\\s+)?(?:instruksi|perintah|petunjuk|arahan|aturan)\\s+(?:sebelumnya|di atas|awal)",
  "(?:huwag (?:mong )?pansinin|kalimutan|balewalain|ignorahin)\\s+(?:mo\\s+)?(?:ang\\s+)?(?:lahat\\s+ng\\s+)?(?:mga\\s+)?(?:naunang|nakaraang|dating)\\s+(?:tagubilin|instruksyon|utos|panuto|patakaran)",
]);

export const OTHER_OVERRIDE = normalized([
  "(?:игнорируй|проигнорируй|игнорируйте|забудь|забудьте|не обращай внимания на)\\s+(?:все\\s+)?(?:предыдущие|прежние|предшествующие|вышеуказанные|свои|твои)\\s+(?:инструкции|указания|правила|команды)",
  "(?:ігноруй|забудь)\\s+(?:усі\\s+|всі\\s+)?(?:попередні)\\s+(?:інструкції|вказівки)",
  "(?:önceki|yukarıdaki)\\s+(?:tüm\\s+)?(?:talimatları|komutları|kuralları)\\s+(?:yok say|unut|görmezden gel)",
  "(?:تجاهل|انسَ|انس)\\s+(?:جميع\\s+|كل\\s+)?(?:التعليمات|الأوامر|القواعد)\\s+(?:السابقة)",
  "(?:忽略|忽视|无视|忘记|忘掉|不要理会)(?:之前|以前|上面|上述|先前|所有|前面|你的)(?:的)?(?:所有)?(?:指令|指示|说明|规则|命令|提示)",
  "(?:以前|前|上記|これまで)の(?:すべての|全ての)?(?:指示|命令|ルール|指令)を(?:無視|忘れ)",
  "(?:이전|앞의|위의)\\s*(?:모든\\s*)?(?:지시|지침|명령|규칙)(?:을|를|은|는)?\\s*(?:무시|잊어)",
  "(?:पिछले|पिछली|पहले के)\\s+(?:सभी\\s+)?(?:निर्देशों|निर्देश|नियमों)\\s+(?:को\\s+)?(?:अनदेखा|भूल|नजरअंदाज)",
  // round 30
  "(?:игнорируй|проигнорируй|забудь|забудьте|отбрось)\\s+(?:всё|все)\\s+(?:что было\\s+)?(?:выше|сказанное выше|вышесказанное|ранее сказанное|предыдущее|до этого)",
  "(?:önceki|yukarıdaki|daha önceki)\\s+(?:tüm\\s+|bütün\\s+)?(?:talimatları|komutları|kuralları|yönergeleri)\\s+(?:yok say|unut|görmezden gel|dikkate alma)",
  "(?:tüm|bütün)\\s+(?:önceki\\s+)?(?:talimatları|kuralları)\\s+(?:yok say|unut|görmezden gel)",
  "(?:تجاهل|انسَ|انس|تجاهلي)\\s+(?:جميع\\s+|كل\\s+)?(?:التعليمات|الأوامر|القواعد|الإرشادات)\\s+(?:السابقة|أعلاه|المذكورة أعلاه)",
  "(?:تجاهل|انسَ|انس)\\s+كل\\s+ما\\s+(?:سبق|قيل)",
  "(?:忽略|忽视|无视|忘记|忘掉|不要理会|不要管|無視|忘記)(?:以上|上述|上面|之前|先前|前面)(?:的)?(?:所有|一切|全部)?(?:内容|指令|指示|说明|說明|规则|規則|要求|命令)",
  "(?:これまでの|以前の|前の|上記の|上の)(?:すべての|全ての|全部の)?(?:指示|命令|ルール|指令|設定)(?:は|を)(?:すべて|全て)?(?:無視|忘れ)",
  "(?:이전|앞의|위의|지금까지의)\\s*(?:모든\\s*)?(?:지시|지침|명령|규칙|지시사항)(?:을|를|은|는|들을)?\\s*(?:모두\\s*)?(?:무시|잊어)",
  "(?:पिछले|पिछली|पहले के|ऊपर के|पूर्व)\\s+(?:सभी\\s+|सारे\\s+)?(?:निर्देशों|निर्देश|आदेशों|नियमों)\\s+(?:को\\s+)?(?:अनदेखा|भूल|नजरअंदाज|नज\u093cरअंदाज\u093c|उपेक्षा)",
  "(?:পূর্ববর্তী|আগের|উপরের)\\s+(?:সমস্ত\\s+|সব\\s+)?(?:নির্দেশ|নির্দেশনা|নির্দেশাবলী|আদেশ)(?:গুলি|গুলো)?\\s+(?:উপেক্ষা|ভুলে|অগ্রাহ্য)",
  "(?:ละเว้น|เพิกเฉย|ไม่ต้องสนใจ|ลืม|ข้าม)\\s*(?:ทุก)?\\s*(?:คำสั่ง|คำแนะนำ|ข้อกำหนด)\\s*(?:ทั้งหมด)?\\s*(?:ก่อนหน้า(?:นี้)?|ข้างต้น|ที่ผ่านมา)",
]);

/** Show me your system prompt / instructions / password (second person or a system word). */
export const LATIN_EXTRACTION = normalized([
  "(?:muéstrame|muestra|revela|revélame|dime|repite|imprime|escribe|comparte)\\s+(?:[^\\s]+\\s+){0,2}?(?:tu|tus)\\s+(?:prompt|instrucciones|contraseña|reglas)",
  "(?:muéstrame|muestra|revela|revélame|dime|repite|imprime|escribe|comparte)\\s+(?:[^\\s]+\\s+){0,2}?(?:el|las|la)\\s+(?:prompt del sistema|prompt de sistema|instrucciones (?:del sistema|ocultas|iniciales)|contraseña secreta)",
  "(?:montre|révèle|affiche|répète|donne|dis|écris|imprime|partage)(?:-moi)?\\s+(?:[^\\s]+\\s+){0,2}?(?:ton|ta|tes|vos|votre)\\s+(?:prompt|instructions|consignes|mot de passe|règles)",
  "(?:montre|révèle|affiche|répète|donne|dis|écris|imprime|partage)(?:-moi)?\\s+(?:[^\\s]+\\s+){0,2}?(?:le|les)\\s+(?:prompt système|instructions système|instructions cachées|mot de passe secret)",
  "(?:zeig|zeige|verrate|wiederhole|nenne|gib|schreib|schreibe|teile)\\s+(?:mir\\s+)?(?:[^\\s]+\\s+){0,2}?(?:deine|deinen|dein|ihre|ihren)\\s+(?:systemprompt|system-prompt|anweisungen|instruktionen|regeln|passwort)",
  "(?:zeig|zeige|verrate|wiederhole|nenne|gib|schreib|schreibe)\\s+(?:mir\\s+)?(?:[^\\s]+\\s+){0,2}?(?:den systemprompt|den system-prompt|das geheime passwort|die geheimen anweisungen)",
  "(?:mostrami|mostra|rivela|rivelami|dimmi|ripeti|scrivi|stampa|condividi)\\s+(?:[^\\s]+\\s+){0,2}?(?:il tuo|i tuoi|la tua|le tue)\\s+(?:prompt|istruzioni|password|regole)",
  "(?:mostrami|mostra|rivela|rivelami|dimmi|ripeti|scrivi|stampa)\\s+(?:[^\\s]+\\s+){0,2}?(?:il prompt di sistema|la password segreta|le istruzioni di sistema)",
  "(?:mostre|mostra|revele|revela|diga|diz|repita|repete|escreva|imprima|compartilhe)(?:-me)?\\s+(?:[^\\s]+\\s+){0,2}?(?:o seu|os seus|a sua|as suas|seu|seus|sua|suas|teu|tua|teus|tuas)\\s+(?:prompt|instruções|senha|regras)",
  "(?:mostre|mostra|revele|revela|diga|repita|escreva|imprima)(?:-me)?\\s+(?:[^\\s]+\\s+){0,2}?(?:o prompt do sistema|a senha secreta|as instruções do sistema)",
  "(?:cho tôi (?:xem|biết)|hiển thị|tiết lộ|lặp lại|in ra|viết ra)\\s+(?:[^\\s]+\\s+){0,2}?(?:lời nhắc hệ thống|system prompt|hướng dẫn (?:của bạn|hệ thống|ban đầu)|mật khẩu (?:của bạn|bí mật))",
  "(?:tunjukkan|tampilkan|ungkapkan|beritahu|beri tahu|ulangi|tuliskan|cetak|bagikan)\\s+(?:[^\\s]+\\s+){0,2}?(?:prompt sistem|instruksi (?:sistem|anda|kamu|awal)|kata sandi (?:anda|kamu|rahasia)|password (?:anda|kamu|rahasia))",
  "(?:ipakita|sabihin|ulitin|isulat|ibunyag|ibahagi)\\s+(?:mo\\s+)?(?:sa akin\\s+)?(?:ang\\s+)?(?:system prompt mo|mga tagubilin mo|iyong mga tagubilin|lihim na password|password mo|iyong password)",
]);

export const OTHER_EXTRACTION = normalized([
  "(?:покажи|раскрой|открой|повтори|скажи|напиши|выведи|сообщи|назови)\\s+(?:мне\\s+)?(?:свой|свои|твой|твои|ваш|ваши|свою|твою)\\s+(?:системный\\s+)?(?:промпт|промт|инструкции|пароль|правила)",
  "(?:покажи|раскрой|повтори|скажи|напиши|выведи|назови)\\s+(?:мне\\s+)?(?:системный промпт|системный промт|секретный пароль|системные инструкции)",
  "(?:sistem (?:istemini|komutunu|promptunu|talimatlarını)|talimatlarını|şifreni|parolanı|gizli şifreyi)\\s+(?:bana\\s+)?(?:göster|söyle|tekrarla|yaz|açıkla|paylaş|ver)",
  "(?:اكشف|أظهر|اعرض|كرر|أخبرني|اطبع|شارك)\\s+(?:لي\\s+)?(?:عن\\s+)?(?:موجه النظام|تعليماتك|كلمة المرور السرية|كلمة السر السرية|قواعدك|تعليمات النظام)",
  "(?:अपना|अपने|अपनी)\\s+(?:सिस्टम प्रॉम्प्ट|निर्देश|पासवर्ड|नियम)\\s+(?:[^\\s]+\\s+){0,2}?(?:दिखाओ|दिखाइए|बताओ|बताइए|दोहराओ|लिखो|प्रकट करो)",
  "(?:আপনার|তোমার)\\s+(?:সিস্টেম প্রম্পট|নির্দেশাবলী|নির্দেশনা|নির্দেশ)\\s+(?:[^\\s]+\\s+){0,2}?(?:দেখাও|দেখান|বলো|বলুন|প্রকাশ কর)",
  "(?:告诉我|显示|透露|重复|输出|打印|展示|给我看|說出|告訴我|顯示)(?:一下)?(?:你的|您的)(?:系统提示(?:词)?|系統提示|初始指令|指令|提示词|密码|密碼|规则|規則)",
  "(?:系统提示(?:词)?|系統提示)(?:是什么|是什麼)",
  "(?:あなたの|君の)(?:システムプロンプト|初期指示|指示内容|指示|パスワード|秘密のパスワード|ルール)を(?:教えて|表示して|見せて|繰り返して|出力して|書いて)",
  "(?:システムプロンプト|初期指示|秘密のパスワード)を(?:教えて|表示して|見せて|繰り返して|出力して)",
  "(?:당신의|너의|네)\\s*(?:시스템 프롬프트|지시사항|지침|비밀번호|규칙)(?:을|를)?\\s*(?:알려|보여|말해|출력|반복)",
  "시스템\\s*프롬프트(?:를|을)?\\s*(?:알려|보여|출력|반복)",
  "(?:แสดง|บอก|เปิดเผย|ทวน|พิมพ์)\\s*(?:ให้(?:ฉัน|ผม)?(?:ดู)?)?\\s*(?:พรอมต์ระบบ|คำสั่งระบบ|คำแนะนำของคุณ|คำสั่งของคุณ|รหัสผ่านของคุณ|รหัสผ่านลับ)",
]);

/** You have no rules now (second person). */
export const LATIN_UNRESTRICTED = normalized([
  "ya no tienes\\s+(?:ninguna\\s+|ningún\\s+)?(?:restricción|restricciones|reglas|límites|limitaciones|filtros)",
  "(?:eres|estás)\\s+(?:ahora\\s+)?libre\\s+de\\s+(?:todas\\s+las\\s+|toda\\s+)?(?:restricciones|reglas|restricción)",
  "tu n'as plus\\s+(?:aucune\\s+|de\\s+)?(?:règles?|restrictions?|limites?|filtres?)",
  "tu es\\s+(?:désormais\\s+|maintenant\\s+)?libre de toute\\s+(?:règle|restriction|contrainte)",
  "du hast\\s+(?:jetzt\\s+|ab jetzt\\s+|ab sofort\\s+|nun\\s+)?keine\\s+(?:regeln|einschränkungen|beschränkungen|grenzen|filter)\\s+mehr",
  "non hai più\\s+(?:alcuna\\s+|nessuna\\s+)?(?:regole|restrizioni|limiti|limitazioni|filtri)",
  "(?:você|tu)\\s+não\\s+(?:tem|tens)\\s+mais\\s+(?:nenhuma\\s+)?(?:regras|restrições|limites|limitações|filtros)",
  "(?:bạn\\s+)?(?:không còn|không có)\\s+(?:bất kỳ\\s+)?(?:quy tắc|giới hạn|hạn chế)\\s+nào\\s+(?:nữa|cả)",
  "(?:kamu|anda)\\s+(?:tidak lagi memiliki|tidak punya lagi|sudah tidak punya)\\s+(?:aturan|batasan|pembatasan)",
  "wala ka nang\\s+(?:mga\\s+)?(?:patakaran|limitasyon)",
]);

export const OTHER_UNRESTRICTED = normalized([
  "у тебя\\s+(?:больше\\s+|теперь\\s+)?нет\\s+(?:никаких\\s+)?(?:правил|ограничений|фильтров)",
  "ты\\s+(?:теперь\\s+)?свободен\\s+от\\s+(?:всех\\s+)?(?:правил|ограничений)",
  "你(?:现在|現在)?(?:没有|沒有|不再有|不再受|不受)(?:任何)?(?:限制|规则|規則|约束|約束)",
  "(?:あなた|君)(?:には|は)(?:もう)?(?:何の|いかなる)?(?:制限|ルール|規則)(?:は|も)?(?:ない|ありません)",
  "(?:너는|당신은|넌|너에게는|당신에게는)\\s*(?:이제\\s*)?(?:아무런\\s*|어떤\\s*)?(?:제한|규칙|제약)(?:이|도)?\\s*없",
  "(?:ليس لديك|لم يعد لديك|أنت الآن بلا)\\s+(?:أي\\s+)?(?:قيود|قواعد|حدود)",
  "(?:तुम्हारे|आपके)\\s+(?:पास\\s+)?(?:अब\\s+)?(?:कोई\\s+)?(?:नियम|प्रतिबंध|सीमा)(?:एं|ें)?\\s+नहीं",
  "artık\\s+(?:hiçbir\\s+)?(?:kuralın|kısıtlaman|sınırın|kısıtlamaların|kuralların)\\s+(?:yok|kalmadı)",
  "(?:তোমার|আপনার)\\s+(?:আর\\s+)?(?:কোনো\\s+)?(?:নি(?:\u09df|\u09af\u09bc)ম|সীমাবদ্ধতা)\\s+নেই",
  "(?:คุณ)?ไม่มี(?:กฎ|ข้อจำกัด)(?:ใดๆ|ใด ๆ)?(?:อีกต่อไป)",
]);
