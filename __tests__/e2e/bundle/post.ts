import '../../../src/post.js';
