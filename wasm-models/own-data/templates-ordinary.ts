/**
 * Ordinary requests of the kinds people send to a chat model: writing, explaining, coding,
 * planning, comparing. The public benign sets are narrow (school maths, a few dozen chat turns);
 * without these the model learns "anything that is not a word problem is an attack".
 */
import type { Template } from "./templates-short";

const TOPICS = [
  "photosynthesis",
  "the French Revolution",
  "black holes",
  "compound interest",
  "the immune system",
  "climate change",
  "supply and demand",
  "the Roman Empire",
  "machine learning",
  "plate tectonics",
  "the water cycle",
  "inflation",
  "vaccines",
  "quantum computing",
  "the printing press",
  "jazz music",
  "the stock market",
  "renewable energy",
  "the human brain",
  "blockchain",
];
const AUDIENCES = ["a 10-year-old", "a high-school student", "my grandmother", "a busy executive", "a beginner", "an expert"];
const WRITING = ["a cover letter", "a wedding toast", "a product description", "a LinkedIn post", "a thank-you note", "a short poem", "a blog post intro", "a haiku", "a limerick", "a birthday message", "a press release", "a newsletter"];
const SUBJECTS = ["my sister's graduation", "a new coffee grinder", "our team's launch", "autumn in Vermont", "a retiring colleague", "a vegan bakery", "my dog Max", "the city marathon", "a local bookstore", "our new office"];
const LANGS = ["Python", "JavaScript", "TypeScript", "Go", "Rust", "Java", "C#", "SQL", "Bash", "Kotlin", "Swift"];
const CODE_TASKS = [
  "reverse a linked list",
  "parse a CSV file and compute column averages",
  "debounce a function",
  "read a JSON config file with defaults",
  "find the longest palindromic substring",
  "validate an e-mail address",
  "merge two sorted arrays",
  "implement binary search",
  "paginate results from a REST API",
  "resize all images in a folder",
  "count word frequencies in a text file",
  "convert a date string to ISO 8601",
];
const CITIES = ["Lisbon", "Kyoto", "Mexico City", "Edinburgh", "Cape Town", "Hanoi", "Montreal", "Prague", "Buenos Aires", "Istanbul"];
const FOODS = ["lasagna", "pad thai", "banana bread", "shakshuka", "risotto", "chili", "dumplings", "a Caesar salad", "granola", "falafel"];

export const ORDINARY_TEMPLATES: Template[] = [
  {
    id: "explain-topic",
    category: "ordinary",
    security: false,
    text: ["Explain {topic} to {audience}.", "Can you give me a simple explanation of {topic}?", "What are the three most important things to know about {topic}?", "Summarize the history of {topic} in one paragraph."],
    slots: { topic: TOPICS, audience: AUDIENCES },
    count: 30,
  },
  {
    id: "compare",
    category: "ordinary",
    security: false,
    text: ["What is the difference between {a} and {b}?", "Compare {a} and {b} in a table with pros and cons.", "Should I choose {a} or {b} for {use}?"],
    slots: {
      a: ["Python", "an index fund", "a heat pump", "a Kindle", "renting", "PostgreSQL", "an electric car", "React"],
      b: ["JavaScript", "individual stocks", "a gas boiler", "paper books", "buying", "MongoDB", "a hybrid", "Vue"],
      use: ["a small business", "a family of four", "a student", "long commutes", "a weekend project"],
    },
    count: 24,
  },
  {
    id: "write-something",
    category: "ordinary",
    security: false,
    text: ["Write {writing} about {subject}.", "Help me write {writing} for {subject}. Keep it warm and under 150 words.", "Draft {writing} about {subject} in a {tone} tone."],
    slots: { writing: WRITING, subject: SUBJECTS, tone: ["playful", "formal", "heartfelt", "concise", "enthusiastic"] },
    count: 30,
  },
  {
    id: "code-task",
    category: "ordinary",
    security: false,
    text: ["Write a {lang} function to {task}.", "How do I {task} in {lang}?", "Show me an idiomatic {lang} example that shows how to {task}, with comments.", "What's the time complexity of the usual way to {task}?"],
    slots: { lang: LANGS, task: CODE_TASKS },
    count: 34,
  },
  {
    id: "travel",
    category: "ordinary",
    security: false,
    text: ["Plan a {days}-day itinerary for {city} for someone who loves {interest}.", "What are the best neighbourhoods to stay in {city}?", "What should I pack for a trip to {city} in {month}?", "Recommend some local dishes I should try in {city}."],
    slots: { days: ["2", "3", "5", "7"], city: CITIES, interest: ["food", "museums", "hiking", "architecture", "nightlife", "history"], month: ["January", "April", "July", "October"] },
    count: 24,
  },
  {
    id: "cooking",
    category: "ordinary",
    security: false,
    text: ["Give me a recipe for {food} that serves {n}.", "How do I make {food} without {ingredient}?", "What can I cook with {ingredient}, rice and whatever is in a normal pantry?", "My {food} always turns out bland. What am I doing wrong?"],
    slots: { food: FOODS, n: ["2", "4", "6"], ingredient: ["eggs", "dairy", "gluten", "an oven", "chickpeas", "spinach", "leftover chicken"] },
    count: 24,
  },
  {
    id: "health-fitness",
    category: "ordinary",
    security: false,
    text: ["Create a {weeks}-week beginner {sport} plan.", "How much sleep does {who} need?", "What are some healthy snacks for {who}?", "How can I improve my posture when working at a desk all day?", "What stretches help with lower back pain after {sport}?"],
    slots: { weeks: ["4", "6", "8", "12"], sport: ["running", "swimming", "cycling", "strength training", "yoga"], who: ["a teenager", "an adult", "a toddler", "a night-shift nurse", "an office worker"] },
    count: 20,
  },
  {
    id: "work-career",
    category: "ordinary",
    security: false,
    text: [
      "How do I ask my manager for a raise?",
      "What questions should I ask at the end of a {job} interview?",
      "Give me tips to run a more productive {meeting}.",
      "How should I structure a {length} presentation about {topic}?",
      "Rewrite this sentence to sound more professional: 'we kinda missed the deadline cause stuff happened'.",
      "How do I give constructive feedback to a {job} who keeps missing deadlines?",
    ],
    slots: { job: ["data analyst", "product manager", "nurse", "teacher", "software engineer", "designer"], meeting: ["stand-up", "retrospective", "board meeting", "one-on-one"], length: ["5-minute", "20-minute", "1-hour"], topic: TOPICS },
    count: 20,
  },
  {
    id: "math-science",
    category: "ordinary",
    security: false,
    text: ["What is the derivative of {f}?", "Solve {eq} and show your steps.", "Why is the sky blue?", "How far is the Moon from the Earth, and how was it measured?", "Convert {q} to {unit}.", "What is the probability of rolling two sixes with two dice?"],
    slots: { f: ["x^3 sin(x)", "ln(x^2 + 1)", "e^(2x) cos(x)", "sqrt(x) / (1 + x)"], eq: ["2x + 7 = 19", "x^2 - 5x + 6 = 0", "3(x - 4) = 2x + 1"], q: ["72 degrees Fahrenheit", "5 miles", "3 cups of flour", "150 pounds"], unit: ["metric units", "Celsius", "kilometres", "grams"] },
    count: 18,
  },
  {
    id: "language-learning",
    category: "ordinary",
    security: false,
    text: ["Translate '{phrase}' into {lang}.", "How do you say '{phrase}' in {lang}, formally and informally?", "What's the difference between 'ser' and 'estar' in Spanish?", "Give me 10 common {lang} phrases for {situation}."],
    slots: { phrase: ["where is the train station", "I would like a coffee, please", "nice to meet you", "how much does this cost", "see you tomorrow"], lang: ["French", "German", "Japanese", "Italian", "Korean", "Portuguese"], situation: ["a restaurant", "the airport", "a job interview", "small talk"] },
    count: 20,
  },
  {
    id: "personal-advice",
    category: "ordinary",
    security: false,
    text: [
      "My friend is going through a breakup. How can I support her?",
      "How do I stop procrastinating when I work from home?",
      "What's a good gift for a {who} who likes {hobby}?",
      "How do I start a {hobby} hobby on a small budget?",
      "How can I make my small apartment feel bigger?",
      "How do I keep my houseplants alive while I'm on holiday?",
    ],
    slots: { who: ["10-year-old", "coworker", "father-in-law", "best friend"], hobby: ["photography", "gardening", "board games", "painting", "birdwatching", "woodworking"] },
    count: 18,
  },
  {
    id: "summarize-text",
    category: "ordinary",
    security: false,
    text: [
      "Summarize this in two sentences: {passage}",
      "Fix the grammar: {passage}",
      "Make this paragraph more engaging: {passage}",
      "What is the main argument of this text? {passage}",
    ],
    slots: {
      passage: [
        "The city council voted on Tuesday to extend the bike lane network by 40 kilometres over the next three years, citing a rise in cycling commuters and fewer traffic injuries where lanes already exist.",
        "Our quarterly revenue grew 8% year over year, driven by subscriptions, while hardware sales declined slightly due to supply issues that we expect to resolve by spring.",
        "Bees communicate the location of flowers through a 'waggle dance', in which the angle and duration of the dance encode direction and distance relative to the sun.",
        "The library will be closed for renovation from June to August; during that time, books can be returned at the community centre and e-books remain available online.",
        "Sleep deprivation affects memory consolidation, mood regulation and reaction time, and chronic short sleep has been linked to a higher risk of several diseases.",
      ],
    },
    count: 16,
  },
  {
    id: "business-data",
    category: "ordinary",
    security: false,
    text: [
      "Write an Excel formula that {task}.",
      "How do I create a pivot table that shows {what}?",
      "Suggest KPIs for a {biz}.",
      "Write a SQL query that returns {what} from an orders table.",
    ],
    slots: { task: ["counts cells containing 'done'", "looks up a price by product ID", "sums sales for the current month", "highlights duplicate rows"], what: ["monthly revenue per region", "the top 10 customers by spend", "average order value by week"], biz: ["coffee shop", "SaaS startup", "dental clinic", "online store", "non-profit"] },
    count: 16,
  },
];
