import { benchKbScale } from './kb-scale.js';
console.log(JSON.stringify(await benchKbScale(), null, 1));
