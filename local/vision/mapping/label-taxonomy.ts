/**
 * COCO's 80 classes (what Human's centernet finds) mapped onto Rekognition's label names, with each
 * Rekognition label's direct parents and category. Rekognition lists every ancestor as a parent and
 * also returns each ancestor as a label of its own, so the ancestors are derived from this table.
 */
export const COCO_TO_LABEL: Readonly<Record<string, string>> = {
  person: 'Person',
  bicycle: 'Bicycle',
  car: 'Car',
  motorcycle: 'Motorcycle',
  airplane: 'Airplane',
  bus: 'Bus',
  train: 'Train',
  truck: 'Truck',
  boat: 'Boat',
  'traffic light': 'Traffic Light',
  'fire hydrant': 'Fire Hydrant',
  'stop sign': 'Stop Sign',
  'parking meter': 'Parking Meter',
  bench: 'Bench',
  bird: 'Bird',
  cat: 'Cat',
  dog: 'Dog',
  horse: 'Horse',
  sheep: 'Sheep',
  cow: 'Cow',
  elephant: 'Elephant',
  bear: 'Bear',
  zebra: 'Zebra',
  giraffe: 'Giraffe',
  backpack: 'Backpack',
  umbrella: 'Umbrella',
  handbag: 'Handbag',
  tie: 'Tie',
  suitcase: 'Suitcase',
  frisbee: 'Frisbee',
  skis: 'Ski',
  snowboard: 'Snowboard',
  'sports ball': 'Ball',
  kite: 'Kite',
  'baseball bat': 'Baseball Bat',
  'baseball glove': 'Baseball Glove',
  skateboard: 'Skateboard',
  surfboard: 'Surfboard',
  'tennis racket': 'Racket',
  bottle: 'Bottle',
  'wine glass': 'Glass',
  cup: 'Cup',
  fork: 'Fork',
  knife: 'Knife',
  spoon: 'Spoon',
  bowl: 'Bowl',
  banana: 'Banana',
  apple: 'Apple',
  sandwich: 'Sandwich',
  orange: 'Orange',
  broccoli: 'Broccoli',
  carrot: 'Carrot',
  'hot dog': 'Hot Dog',
  pizza: 'Pizza',
  donut: 'Donut',
  cake: 'Cake',
  chair: 'Chair',
  couch: 'Couch',
  'potted plant': 'Potted Plant',
  bed: 'Bed',
  'dining table': 'Dining Table',
  toilet: 'Toilet',
  tv: 'TV',
  laptop: 'Laptop',
  mouse: 'Mouse',
  remote: 'Remote Control',
  keyboard: 'Computer Keyboard',
  'cell phone': 'Mobile Phone',
  microwave: 'Microwave',
  oven: 'Oven',
  toaster: 'Toaster',
  sink: 'Sink',
  refrigerator: 'Refrigerator',
  book: 'Book',
  clock: 'Clock',
  vase: 'Vase',
  scissors: 'Scissors',
  'teddy bear': 'Teddy Bear',
  'hair drier': 'Blow Dryer',
  toothbrush: 'Toothbrush',
};

interface LabelNode {
  parents: readonly string[];
  category: string;
}

const ANIMALS = 'Animals and Pets';
const VEHICLES = 'Vehicles and Automotive';
const FOOD = 'Food and Beverage';
const FURNITURE = 'Furniture and Furnishings';
const TECH = 'Technology and Computing';
const HOME = 'Home and Indoors';
const KITCHEN = 'Kitchen and Dining';
const SPORTS = 'Sports';
const STYLE = 'Apparel and Accessories';
const PEOPLE = 'Person Description';
const TRAVEL = 'Travel and Transportation';
const TOYS = 'Hobbies and Interests';
const PLANTS = 'Plants and Flowers';
const TOOLS = 'Tools and Machinery';
const DOCS = 'Text and Documents';
const NATURE = 'Nature and Outdoors';

/** Every label this service can return, with its direct parents and Rekognition category. */
export const LABEL_TAXONOMY: Readonly<Record<string, LabelNode>> = {
  Person: { parents: [], category: PEOPLE },
  Face: { parents: ['Head', 'Person'], category: PEOPLE },
  Head: { parents: ['Person'], category: PEOPLE },
  Transportation: { parents: [], category: VEHICLES },
  Vehicle: { parents: ['Transportation'], category: VEHICLES },
  Aircraft: { parents: ['Vehicle'], category: VEHICLES },
  Bicycle: { parents: ['Vehicle'], category: VEHICLES },
  Car: { parents: ['Vehicle'], category: VEHICLES },
  Motorcycle: { parents: ['Vehicle'], category: VEHICLES },
  Airplane: { parents: ['Aircraft'], category: VEHICLES },
  Bus: { parents: ['Vehicle'], category: VEHICLES },
  Train: { parents: ['Vehicle'], category: VEHICLES },
  Truck: { parents: ['Vehicle'], category: VEHICLES },
  Watercraft: { parents: ['Vehicle'], category: VEHICLES },
  Boat: { parents: ['Watercraft'], category: VEHICLES },
  Light: { parents: [], category: HOME },
  'Traffic Light': { parents: ['Light'], category: TRAVEL },
  Hydrant: { parents: [], category: TRAVEL },
  'Fire Hydrant': { parents: ['Hydrant'], category: TRAVEL },
  Symbol: { parents: [], category: DOCS },
  Sign: { parents: ['Symbol'], category: DOCS },
  'Road Sign': { parents: ['Sign'], category: TRAVEL },
  'Stop Sign': { parents: ['Road Sign'], category: TRAVEL },
  'Parking Meter': { parents: [], category: TRAVEL },
  Furniture: { parents: [], category: FURNITURE },
  Bench: { parents: ['Furniture'], category: FURNITURE },
  Animal: { parents: [], category: ANIMALS },
  Mammal: { parents: ['Animal'], category: ANIMALS },
  Pet: { parents: ['Animal'], category: ANIMALS },
  Canine: { parents: ['Mammal'], category: ANIMALS },
  Livestock: { parents: ['Animal'], category: ANIMALS },
  Wildlife: { parents: ['Animal'], category: ANIMALS },
  Bird: { parents: ['Animal'], category: ANIMALS },
  Cat: { parents: ['Mammal', 'Pet'], category: ANIMALS },
  Dog: { parents: ['Canine', 'Pet'], category: ANIMALS },
  Horse: { parents: ['Mammal'], category: ANIMALS },
  Sheep: { parents: ['Mammal', 'Livestock'], category: ANIMALS },
  Cow: { parents: ['Mammal', 'Livestock'], category: ANIMALS },
  Elephant: { parents: ['Mammal', 'Wildlife'], category: ANIMALS },
  Bear: { parents: ['Mammal', 'Wildlife'], category: ANIMALS },
  Zebra: { parents: ['Mammal', 'Wildlife'], category: ANIMALS },
  Giraffe: { parents: ['Mammal', 'Wildlife'], category: ANIMALS },
  Accessories: { parents: [], category: STYLE },
  Bag: { parents: ['Accessories'], category: STYLE },
  Backpack: { parents: ['Bag'], category: STYLE },
  Handbag: { parents: ['Bag'], category: STYLE },
  Clothing: { parents: [], category: STYLE },
  Tie: { parents: ['Accessories', 'Clothing'], category: STYLE },
  Umbrella: { parents: ['Accessories'], category: STYLE },
  Luggage: { parents: [], category: TRAVEL },
  Suitcase: { parents: ['Luggage'], category: TRAVEL },
  Toy: { parents: [], category: TOYS },
  Frisbee: { parents: ['Toy'], category: TOYS },
  Kite: { parents: ['Toy'], category: TOYS },
  'Teddy Bear': { parents: ['Toy'], category: TOYS },
  'Sports Equipment': { parents: [], category: SPORTS },
  Ski: { parents: ['Sports Equipment'], category: SPORTS },
  Snowboard: { parents: ['Sports Equipment'], category: SPORTS },
  Ball: { parents: ['Sports Equipment'], category: SPORTS },
  'Baseball Bat': { parents: ['Sports Equipment'], category: SPORTS },
  Glove: { parents: ['Clothing'], category: STYLE },
  'Baseball Glove': { parents: ['Glove', 'Sports Equipment'], category: SPORTS },
  Skateboard: { parents: ['Sports Equipment'], category: SPORTS },
  Surfboard: { parents: ['Sports Equipment'], category: SPORTS },
  Racket: { parents: ['Sports Equipment'], category: SPORTS },
  Bottle: { parents: [], category: FOOD },
  Tableware: { parents: [], category: KITCHEN },
  Cutlery: { parents: ['Tableware'], category: KITCHEN },
  Glass: { parents: ['Tableware'], category: KITCHEN },
  Cup: { parents: ['Tableware'], category: KITCHEN },
  Fork: { parents: ['Cutlery'], category: KITCHEN },
  Knife: { parents: ['Cutlery'], category: KITCHEN },
  Spoon: { parents: ['Cutlery'], category: KITCHEN },
  Bowl: { parents: ['Tableware'], category: KITCHEN },
  Food: { parents: [], category: FOOD },
  Plant: { parents: [], category: PLANTS },
  Produce: { parents: ['Food'], category: FOOD },
  // Rekognition files fruit and vegetables under both Food and Plant (an orange: Citrus Fruit, Fruit, Food, Plant, Produce).
  Fruit: { parents: ['Food', 'Plant'], category: FOOD },
  'Citrus Fruit': { parents: ['Fruit'], category: FOOD },
  Vegetable: { parents: ['Food', 'Plant'], category: FOOD },
  Banana: { parents: ['Fruit', 'Produce'], category: FOOD },
  Apple: { parents: ['Fruit', 'Produce'], category: FOOD },
  Orange: { parents: ['Citrus Fruit', 'Produce'], category: FOOD },
  Broccoli: { parents: ['Vegetable', 'Produce'], category: FOOD },
  Carrot: { parents: ['Vegetable', 'Produce'], category: FOOD },
  Sandwich: { parents: ['Food'], category: FOOD },
  'Hot Dog': { parents: ['Food'], category: FOOD },
  Pizza: { parents: ['Food'], category: FOOD },
  Dessert: { parents: ['Food'], category: FOOD },
  Donut: { parents: ['Dessert'], category: FOOD },
  Cake: { parents: ['Dessert'], category: FOOD },
  Chair: { parents: ['Furniture'], category: FURNITURE },
  Couch: { parents: ['Furniture'], category: FURNITURE },
  Bed: { parents: ['Furniture'], category: FURNITURE },
  Table: { parents: ['Furniture'], category: FURNITURE },
  'Dining Table': { parents: ['Table'], category: FURNITURE },
  'Potted Plant': { parents: ['Plant'], category: PLANTS },
  Vegetation: { parents: ['Plant'], category: PLANTS },
  Sky: { parents: [], category: NATURE },
  Outdoors: { parents: [], category: NATURE },
  Indoors: { parents: [], category: HOME },
  Toilet: { parents: ['Indoors'], category: HOME },
  Sink: { parents: ['Indoors'], category: HOME },
  Electronics: { parents: [], category: TECH },
  'Computer Hardware': { parents: ['Electronics'], category: TECH },
  Screen: { parents: ['Electronics'], category: TECH },
  TV: { parents: ['Screen'], category: TECH },
  Computer: { parents: ['Electronics'], category: TECH },
  Laptop: { parents: ['Computer'], category: TECH },
  Mouse: { parents: ['Computer Hardware'], category: TECH },
  'Computer Keyboard': { parents: ['Computer Hardware'], category: TECH },
  'Remote Control': { parents: ['Electronics'], category: TECH },
  Phone: { parents: ['Electronics'], category: TECH },
  'Mobile Phone': { parents: ['Phone'], category: TECH },
  Appliance: { parents: [], category: HOME },
  Microwave: { parents: ['Appliance'], category: KITCHEN },
  Oven: { parents: ['Appliance'], category: KITCHEN },
  Toaster: { parents: ['Appliance'], category: KITCHEN },
  Refrigerator: { parents: ['Appliance'], category: KITCHEN },
  'Blow Dryer': { parents: ['Appliance'], category: HOME },
  Text: { parents: [], category: DOCS },
  Publication: { parents: [], category: DOCS },
  Book: { parents: ['Publication'], category: DOCS },
  Clock: { parents: [], category: HOME },
  Pottery: { parents: [], category: HOME },
  Vase: { parents: ['Pottery'], category: HOME },
  Tool: { parents: [], category: TOOLS },
  Scissors: { parents: ['Tool'], category: TOOLS },
  Toothbrush: { parents: ['Tool'], category: HOME },
};

/** All ancestors of a label, nearest first, without repeats; unknown labels have none. */
export function ancestorsOf(name: string): string[] {
  const seen: string[] = [];
  const queue = [...(LABEL_TAXONOMY[name]?.parents ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.includes(next)) continue;
    seen.push(next);
    queue.push(...(LABEL_TAXONOMY[next]?.parents ?? []));
  }
  return seen;
}

/** The Rekognition category of a label; labels outside the table fall under "Miscellaneous". */
export function categoryOf(name: string): string {
  return LABEL_TAXONOMY[name]?.category ?? 'Miscellaneous';
}
