import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Other plugins (scaffolder, kubernetes, catalog import, multicluster…) are
// discovered from package.json through `app.packages: all` in app-config.
export default createApp({
  features: [catalogPlugin, navModule, signInModule],
});
