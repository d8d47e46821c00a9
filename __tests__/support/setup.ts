import { Testing } from 'cdktf';
import { removeScratchDirs } from './synth';

// Registers cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();

afterAll(() => removeScratchDirs());
