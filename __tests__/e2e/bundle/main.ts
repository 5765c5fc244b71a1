import '../../../src/main.js';
