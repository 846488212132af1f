import { IMAGENET_CLASSES } from './imagenet-classes';
import { ancestorsOf } from './label-taxonomy';

/**
 * Which ImageNet-1k classes (the whole-image classifier's outputs) stand for which Rekognition label. A class is named
 * by its first synonym (imagenet-classes.ts) or, for the animal part of ImageNet, which WordNet keeps in contiguous
 * runs, by an inclusive index range. Classes left out (weapons, swimwear and underwear, fine-grained gadgets with no
 * Rekognition counterpart, look-alikes such as "web site") are never turned into labels. Every label here is in
 * LABEL_TAXONOMY, which gives its parents.
 */
type ClassSelector = string | readonly [first: number, last: number];
export const IMAGENET_TO_LABEL: Readonly<Record<string, readonly ClassSelector[]>> = {
  // Animals (indices 0-397).
  Fish: [
    [0, 6],
    [389, 397],
  ],
  Bird: [
    [7, 24],
    [80, 100],
    [127, 144],
    [146, 146],
  ],
  Penguin: ['king penguin'],
  Amphibian: [[25, 29]],
  Frog: [[30, 32]],
  Turtle: [[33, 37]],
  Lizard: [[38, 48]],
  Reptile: [[49, 50]],
  Snake: [[52, 68]],
  Invertebrate: [
    [69, 70],
    'scorpion',
    'tick',
    'centipede',
    'flatworm',
    'nematode',
    'conch',
    'slug',
    'sea slug',
    'chiton',
    'chambered nautilus',
    'isopod',
  ],
  Spider: [[72, 77]],
  Snail: ['snail'],
  Jellyfish: ['jellyfish'],
  'Sea Life': ['sea anemone', 'brain coral', 'starfish', 'sea urchin', 'sea cucumber'],
  Crab: ['Dungeness crab', 'rock crab', 'fiddler crab', 'king crab', 'hermit crab'],
  Lobster: ['American lobster', 'spiny lobster', 'crayfish'],
  Insect: [[300, 320]],
  Butterfly: [[321, 326]],
  Elephant: ['tusker', 'Indian elephant', 'African elephant'],
  Kangaroo: ['wallaby'],
  Koala: ['koala'],
  Mammal: [
    'echidna',
    'platypus',
    'wombat',
    'hyena',
    'mongoose',
    'meerkat',
    [356, 359],
    [361, 364],
    'Madagascar cat',
    'indri',
    'lesser panda',
  ],
  Whale: ['grey whale', 'killer whale'],
  'Sea Lion': ['sea lion'],
  Dog: [[151, 268]],
  Wolf: [[269, 271]],
  Canine: [[272, 275]],
  Fox: [[277, 280]],
  Cat: [[281, 285]],
  Cougar: ['cougar'],
  Lynx: ['lynx'],
  Leopard: ['leopard', 'snow leopard'],
  Jaguar: ['jaguar'],
  Lion: ['lion'],
  Tiger: ['tiger'],
  Cheetah: ['cheetah'],
  Bear: [[294, 297]],
  'Giant Panda': ['giant panda'],
  Rabbit: [[330, 332]],
  Rodent: [[333, 338]],
  Horse: ['sorrel'],
  Zebra: ['zebra'],
  Pig: ['hog', 'wild boar', 'warthog'],
  Hippo: ['hippopotamus'],
  Cow: ['ox'],
  Buffalo: ['water buffalo', 'bison'],
  Sheep: ['ram', 'bighorn'],
  Antelope: [[350, 353]],
  Camel: ['Arabian camel'],
  Llama: ['llama'],
  Otter: ['otter'],
  Ape: [[365, 369]],
  Monkey: [[370, 382]],
  // People in ImageNet are classed by what they do.
  Person: ['ballplayer', 'groom', 'scuba diver'],
  // Vehicles.
  Car: ['ambulance', 'beach wagon', 'cab', 'convertible', 'jeep', 'limousine', 'minivan', 'Model T', 'racer', 'sports car', 'police van'],
  Truck: ['fire engine', 'garbage truck', 'tow truck', 'trailer truck', 'moving van'],
  'Pickup Truck': ['pickup'],
  Bus: ['school bus', 'trolleybus', 'minibus'],
  Train: ['bullet train', 'electric locomotive', 'steam locomotive', 'freight car', 'passenger car'],
  Tram: ['streetcar'],
  Motorcycle: ['motor scooter', 'moped'],
  Bicycle: ['bicycle-built-for-two', 'mountain bike', 'tricycle', 'unicycle'],
  Boat: [
    'canoe',
    'catamaran',
    'fireboat',
    'gondola',
    'lifeboat',
    'liner',
    'container ship',
    'schooner',
    'speedboat',
    'trimaran',
    'yawl',
    'pirate',
    'aircraft carrier',
    'submarine',
    'paddlewheel',
  ],
  Airplane: ['airliner', 'warplane', 'wing'],
  Aircraft: ['airship'],
  Rocket: ['space shuttle', 'missile', 'projectile'],
  Tractor: ['tractor', 'harvester', 'thresher'],
  Vehicle: [
    'snowmobile',
    'snowplow',
    'forklift',
    'half track',
    'recreational vehicle',
    'horse cart',
    'oxcart',
    'jinrikisha',
    'go-kart',
    'golfcart',
  ],
  Wheel: ['car wheel'],
  // Buildings and structures.
  Building: [
    'barn',
    'boathouse',
    'cinema',
    'greenhouse',
    'library',
    'planetarium',
    'prison',
    'restaurant',
    'cliff dwelling',
    'monastery',
    'mobile home',
  ],
  House: ['thatch'],
  Roof: ['tile roof'],
  Church: ['church'],
  Mosque: ['mosque'],
  Temple: ['stupa'],
  Palace: ['palace'],
  Castle: ['castle'],
  Tower: ['bell cote', 'water tower'],
  Lighthouse: ['beacon'],
  Dome: ['dome'],
  Shop: ['bakery', 'barbershop', 'bookshop', 'butcher shop', 'grocery store', 'shoe shop', 'tobacco shop', 'toyshop'],
  Arch: ['triumphal arch', 'vault'],
  Monument: ['obelisk', 'megalith', 'totem pole'],
  Bridge: ['steel arch bridge', 'suspension bridge', 'viaduct'],
  Pier: ['pier', 'dock'],
  Dam: ['dam'],
  Fountain: ['fountain'],
  Fence: ['chainlink fence', 'picket fence', 'worm fence'],
  Wall: ['stone wall'],
  Tent: ['mountain tent', 'yurt'],
  'Road Sign': ['street sign'],
  'Traffic Light': ['traffic light'],
  'Parking Meter': ['parking meter'],
  Mailbox: ['mailbox'],
  // Landscapes.
  Mountain: ['alp'],
  Volcano: ['volcano'],
  Valley: ['valley'],
  Cliff: ['cliff', 'promontory'],
  Lake: ['lakeside'],
  Beach: ['seashore'],
  Shoreline: ['sandbar', 'breakwater'],
  Reef: ['coral reef'],
  Nature: ['geyser'],
  // Plants and fungi.
  Flower: ['rapeseed'],
  Daisy: ['daisy'],
  Orchid: ["yellow lady's slipper"],
  'Potted Plant': ['pot'],
  Corn: ['corn', 'ear'],
  Mushroom: ['mushroom', 'agaric', 'bolete', 'hen-of-the-woods'],
  Fungus: ['coral fungus', 'gyromitra', 'stinkhorn', 'earthstar'],
  // Food and drink.
  Apple: ['Granny Smith'],
  Strawberry: ['strawberry'],
  Orange: ['orange'],
  Lemon: ['lemon'],
  Pineapple: ['pineapple'],
  Banana: ['banana'],
  Fruit: ['fig', 'jackfruit', 'custard apple', 'pomegranate'],
  Cabbage: ['head cabbage'],
  Broccoli: ['broccoli'],
  Cauliflower: ['cauliflower'],
  Squash: ['zucchini', 'spaghetti squash', 'acorn squash', 'butternut squash'],
  Cucumber: ['cucumber'],
  'Bell Pepper': ['bell pepper'],
  Vegetable: ['artichoke', 'cardoon'],
  Dish: ['guacamole', 'consomme', 'hot pot', 'mashed potato', 'carbonara', 'meat loaf', 'potpie', 'burrito'],
  Bread: ['French loaf', 'bagel', 'pretzel'],
  Burger: ['cheeseburger'],
  'Hot Dog': ['hotdog'],
  Pizza: ['pizza'],
  'Ice Cream': ['ice cream', 'ice lolly'],
  Dessert: ['trifle', 'chocolate sauce'],
  Food: ['dough'],
  Confectionery: ['confectionery'],
  Wine: ['red wine'],
  Coffee: ['espresso'],
  Beverage: ['eggnog'],
  Bottle: ['beer bottle', 'wine bottle', 'water bottle', 'pop bottle', 'pill bottle'],
  Glass: ['beer glass', 'goblet'],
  Cup: ['coffee mug', 'cup'],
  Plate: ['plate'],
  Bowl: ['soup bowl', 'mixing bowl'],
  Spoon: ['wooden spoon'],
  Cookware: ['frying pan', 'wok', 'Dutch oven', 'caldron', 'Crock Pot', 'teapot', 'coffeepot'],
  Pottery: ['pitcher', 'water jug'],
  Vase: ['vase'],
  // Appliances and electronics.
  Microwave: ['microwave'],
  Refrigerator: ['refrigerator'],
  Toaster: ['toaster'],
  Oven: ['stove'],
  Appliance: ['dishwasher', 'washer', 'waffle iron', 'espresso maker', 'space heater', 'iron', 'vacuum', 'electric fan'],
  Computer: ['desktop computer'],
  Laptop: ['laptop', 'notebook'],
  'Computer Keyboard': ['computer keyboard', 'typewriter keyboard', 'space bar'],
  Mouse: ['mouse'],
  Monitor: ['monitor'],
  Screen: ['screen'],
  TV: ['television'],
  'Mobile Phone': ['cellular telephone'],
  Phone: ['dial telephone', 'pay-phone'],
  'Computer Hardware': ['modem', 'hard disc', 'printer', 'photocopier'],
  Electronics: [
    'iPod',
    'oscilloscope',
    'cassette player',
    'CD player',
    'tape player',
    'radio',
    'projector',
    'hand-held computer',
    'home theater',
    'entertainment center',
  ],
  Speaker: ['loudspeaker'],
  Microphone: ['microphone'],
  Camera: ['reflex camera', 'Polaroid camera'],
  'Remote Control': ['remote control'],
  Clock: ['analog clock', 'digital clock', 'wall clock'],
  // Publications.
  Book: ['book jacket'],
  Comics: ['comic book'],
  Menu: ['menu'],
  // Music.
  Guitar: ['acoustic guitar', 'electric guitar', 'banjo'],
  Piano: ['grand piano', 'upright'],
  Drum: ['drum', 'steel drum'],
  Violin: ['violin', 'cello'],
  'Musical Instrument': [
    'accordion',
    'bassoon',
    'chime',
    'cornet',
    'flute',
    'French horn',
    'gong',
    'harmonica',
    'harp',
    'maraca',
    'marimba',
    'oboe',
    'ocarina',
    'organ',
    'panpipe',
    'sax',
    'trombone',
  ],
  // Clothing and accessories (swimwear and underwear are left to moderation).
  Clothing: [
    'cardigan',
    'sweatshirt',
    'cloak',
    'abaya',
    'academic gown',
    'gown',
    'kimono',
    'lab coat',
    'military uniform',
    'pajama',
    'poncho',
    'sarong',
    'vestment',
    'overskirt',
    'hoopskirt',
    'apron',
    'sock',
  ],
  Coat: ['trench coat', 'fur coat'],
  Suit: ['suit'],
  Jeans: ['jean'],
  Shirt: ['jersey'],
  Boot: ['cowboy boot'],
  Shoe: ['Loafer', 'running shoe', 'clog'],
  Sandal: ['sandal'],
  Hat: ['cowboy hat', 'sombrero', 'bonnet', 'mortarboard', 'bearskin'],
  Helmet: ['crash helmet', 'football helmet', 'pickelhaube'],
  Sunglasses: ['sunglass', 'sunglasses'],
  Tie: ['bow tie', 'Windsor tie', 'bolo tie'],
  Necklace: ['necklace'],
  Handbag: ['purse'],
  Wallet: ['wallet'],
  Backpack: ['backpack'],
  Bag: ['mailbag', 'plastic bag'],
  Umbrella: ['umbrella'],
  Wristwatch: ['digital watch'],
  Glove: ['mitten'],
  // Sports.
  Ball: ['baseball', 'basketball', 'croquet ball', 'golf ball', 'ping-pong ball', 'rugby ball', 'soccer ball', 'tennis ball', 'volleyball'],
  Racket: ['racket'],
  Ski: ['ski'],
  'Sports Equipment': ['barbell', 'dumbbell', 'punching bag', 'balance beam', 'horizontal bar', 'parallel bars'],
  // Furniture and home.
  Chair: ['barber chair', 'folding chair', 'rocking chair', 'throne'],
  Couch: ['studio couch'],
  Bed: ['four-poster'],
  Crib: ['cradle', 'crib', 'bassinet'],
  Desk: ['desk'],
  'Dining Table': ['dining table'],
  Bookcase: ['bookcase'],
  Cabinet: ['chiffonier', 'china cabinet', 'wardrobe', 'chest', 'medicine chest'],
  Bench: ['park bench'],
  Lamp: ['table lamp', 'lampshade'],
  Bathtub: ['bathtub', 'tub'],
  Sink: ['washbasin'],
  Toilet: ['toilet seat'],
  Window: ['shoji', 'window screen', 'window shade'],
  Box: ['carton', 'crate'],
  Basket: ['shopping basket', 'hamper'],
  'Shopping Cart': ['shopping cart'],
  Barrel: ['barrel', 'rain barrel'],
  Bucket: ['bucket'],
  Candle: ['candle'],
  'Teddy Bear': ['teddy'],
  'Jigsaw Puzzle': ['jigsaw puzzle'],
  Balloon: ['balloon'],
  Pen: ['ballpoint', 'fountain pen', 'quill'],
  Lighter: ['lighter'],
  // Tools.
  Hammer: ['hammer'],
  Axe: ['hatchet'],
  Chainsaw: ['chain saw'],
  'Power Drill': ['power drill'],
  Screwdriver: ['screwdriver'],
  Shovel: ['shovel'],
  Broom: ['broom'],
  Tool: ["carpenter's kit"],
  Knife: ['cleaver'],
  'Lawn Mower': ['lawn mower'],
  // Everyday objects a person names directly.
  Binoculars: ['binoculars'],
  Tripod: ['tripod'],
  Parachute: ['parachute'],
  Scoreboard: ['scoreboard'],
  'Spider Web': ['spider web'],
  Hourglass: ['hourglass'],
  Cushion: ['pillow'],
  Quilt: ['quilt'],
  Flag: ['flagpole'],
  Hay: ['hay'],
};

/** One label the classifier supports, with its probability summed over the classes under it. */
export interface ClassifierLabel {
  label: string;
  score: number;
}

let classLabels: readonly (string | undefined)[] | undefined;

/**
 * The label each of the 1000 classes stands for (undefined for classes left out).
 * @throws Error when the table names a class that does not exist, or names one class twice
 */
export function imagenetClassLabels(): readonly (string | undefined)[] {
  if (classLabels) return classLabels;
  const byName = new Map<string, number[]>();
  IMAGENET_CLASSES.forEach((name, index) => byName.set(name, [...(byName.get(name) ?? []), index]));
  const labels: (string | undefined)[] = new Array(IMAGENET_CLASSES.length).fill(undefined);
  for (const [label, selectors] of Object.entries(IMAGENET_TO_LABEL)) {
    for (const selector of selectors) {
      const indices = typeof selector === 'string' ? (byName.get(selector) ?? []) : range(selector[0], selector[1]);
      if (indices.length !== 1 && typeof selector === 'string')
        throw new Error(`ImageNet class "${selector}" (for ${label}) is not exactly one class`);
      for (const index of indices) {
        if (labels[index])
          throw new Error(`ImageNet class ${index} (${IMAGENET_CLASSES[index]}) is mapped to ${labels[index]} and ${label}`);
        labels[index] = label;
      }
    }
  }
  classLabels = labels;
  return labels;
}

/**
 * Turns the classifier's 1000 probabilities into label scores: each label scores the probability of every class
 * under it, its own and its descendants' (Dog sums the 118 breeds; Animal sums every animal class), so evidence
 * spread over look-alike classes still adds up. A sum over many classes also collects the probability the classifier
 * spreads over every class when it recognises nothing: on a lawn or a painting each of the 396 animal classes gets
 * about the median class probability (2-4e-4), so Animal sums to 0.2-0.4 with no animal in sight. So each label's
 * sum is corrected for chance: the number of its classes times the image's median class probability is taken off
 * (on a confident photo the median is tiny and nothing changes; small labels of a few classes barely move). Labels
 * scoring under `minScore` after that are left out.
 */
export function classifierLabels(probabilities: ArrayLike<number>, minScore: number): ClassifierLabel[] {
  const labels = imagenetClassLabels();
  const chance = medianOf(probabilities);
  const scores = new Map<string, number>();
  for (let index = 0; index < labels.length; index += 1) {
    const label = labels[index];
    if (!label) continue;
    const aboveChance = probabilities[index] - chance;
    for (const name of [label, ...ancestorsOf(label)]) scores.set(name, (scores.get(name) ?? 0) + aboveChance);
  }
  return [...scores]
    .filter(([, score]) => score >= minScore)
    .map(([label, score]) => ({ label, score: Math.min(1, score) }))
    .sort((a, b) => b.score - a.score);
}

function medianOf(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
}
