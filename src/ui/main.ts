import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });

// Precaches the app shell, the worker and the wasm core so the next visit works offline.
registerSW({ immediate: true });
