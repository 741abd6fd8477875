// The worker part of the app: its own screens and navigation. Placeholder: the shared home screen.
import { Home } from '../screens/Home.tsx';

export function WorkerApp() {
  return <Home />;
}
