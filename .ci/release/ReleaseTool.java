import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.jcajce.JcaPGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CI's release-build helper, run by .ci/release-check as {@code java -cp <Bouncy Castle jars> ReleaseTool.java ...}
 * so that no gpg binary is needed:
 *
 * <ul>
 *   <li>{@code generate-key DIR}: a throwaway OpenPGP key (Ed25519, passphrase-protected, made for this run only)
 *       in DIR: {@code secret-key.asc} (the armored transferable secret key maven-gpg-plugin's Bouncy Castle signer
 *       reads from MAVEN_GPG_KEY), {@code public-key.asc} and {@code passphrase};</li>
 *   <li>{@code check ROOT PUBLIC_KEY}: after {@code mvn -Prelease verify}, checks what Maven Central would receive:
 *       every published module (the root POM's modules whose {@code securecomm.skipPublishing} is not true, and
 *       the parent) has its POM and, for a jar module, its jar, sources jar and Javadoc jar, each with a detached
 *       signature that verifies with PUBLIC_KEY; the modules that are not published have no signature; every
 *       published POM carries, itself or through the published parent, the metadata the Central Portal requires;
 *       the BOM's consumer POM has no parent and lists exactly the published jar modules, at the project's
 *       version; the Central Portal plugin excludes exactly the modules that are not published.</li>
 * </ul>
 */
public final class ReleaseTool {
    private static final String USER_ID = "securecomm CI throwaway key <ci@securecomm.invalid>";
    private static final List<String> REQUIRED_METADATA = List.of("name", "description", "url", "licenses",
            "developers", "scm");

    private final List<String> problems = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        if (args.length == 2 && args[0].equals("generate-key")) {
            generateKey(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("check")) {
            ReleaseTool tool = new ReleaseTool();
            tool.check(Path.of(args[1]), Path.of(args[2]));
            if (!tool.problems.isEmpty()) {
                tool.problems.forEach(p -> System.err.println("release check: " + p));
                System.err.println("release check FAILED: " + tool.problems.size() + " problem(s)");
                System.exit(1);
            }
        } else {
            System.err.println("usage: ReleaseTool generate-key DIR | check ROOT PUBLIC_KEY");
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------------- the key

    private static void generateKey(Path dir) throws Exception {
        Files.createDirectories(dir);
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        char[] passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();

        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", BouncyCastleProvider.PROVIDER_NAME);
        KeyPair keyPair = generator.generateKeyPair();
        JcaPGPKeyPair pgpKeyPair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                keyPair, new Date());
        PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
        PGPSignatureSubpacketGenerator subpackets = new PGPSignatureSubpacketGenerator();
        subpackets.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pgpKeyPair,
                USER_ID, sha1, subpackets.generate(), null,
                new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA512)
                        .setProvider(BouncyCastleProvider.PROVIDER_NAME),
                new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                        .setProvider(BouncyCastleProvider.PROVIDER_NAME).build(passphrase));

        writeOwnerOnly(dir.resolve("passphrase"), new String(passphrase).getBytes(StandardCharsets.US_ASCII));
        writeOwnerOnly(dir.resolve("secret-key.asc"), armored(out -> rings.generateSecretKeyRing().encode(out)));
        Files.write(dir.resolve("public-key.asc"), armored(out -> rings.generatePublicKeyRing().encode(out)));
        System.out.printf("release check: throwaway OpenPGP key %016X (Ed25519) in %s%n",
                pgpKeyPair.getKeyID(), dir);
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    private static byte[] armored(Encoder encoder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArmoredOutputStream armor = new ArmoredOutputStream(bytes)) {
            encoder.encode(armor);
        }
        return bytes.toByteArray();
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content);
    }

    // ------------------------------------------------------------------------------------------- the check

    private record Module(Path dir, String artifactId, String packaging, boolean published, Document pom) {
    }

    private void check(Path root, Path publicKeyFile) throws Exception {
        JcaPGPPublicKeyRingCollection keys;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(publicKeyFile))) {
            keys = new JcaPGPPublicKeyRingCollection(in);
        }
        Document rootPom = parse(root.resolve("pom.xml"));
        String version = text(rootPom.getDocumentElement(), "version");
        List<Module> modules = new ArrayList<>();
        modules.add(module(root, rootPom));
        for (Element element : children(child(rootPom.getDocumentElement(), "modules"), "module")) {
            Path dir = root.resolve(element.getTextContent().strip());
            modules.add(module(dir, parse(dir.resolve("pom.xml"))));
        }

        Set<String> publishedJars = new TreeSet<>();
        int signatures = 0;
        for (Module module : modules) {
            List<Path> ascFiles = ascFiles(module.dir().resolve("target"));
            if (!module.published()) {
                if (!ascFiles.isEmpty()) {
                    problems.add(module.artifactId() + " is not published but was signed: " + ascFiles);
                }
                continue;
            }
            String base = module.artifactId() + "-" + version;
            Path flattened = module.dir().resolve("target/.flattened-pom.xml");
            Path pomFile = Files.exists(flattened) ? flattened : module.dir().resolve("pom.xml");
            List<Path[]> expected = new ArrayList<>();
            expected.add(new Path[] {pomFile, signatureOf(module, base + ".pom")});
            if (module.packaging().equals("jar")) {
                publishedJars.add(module.artifactId());
                for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                    Path artifact = module.dir().resolve("target").resolve(base + suffix);
                    expected.add(new Path[] {artifact, signatureOf(module, base + suffix)});
                }
            }
            for (Path[] pair : expected) {
                if (!Files.isRegularFile(pair[0])) {
                    problems.add(module.artifactId() + ": missing " + pair[0]);
                } else if (pair[1] == null) {
                    problems.add(module.artifactId() + ": no signature for " + pair[0].getFileName());
                } else {
                    verify(keys, pair[0], pair[1]);
                    signatures++;
                }
            }
            if (ascFiles.size() != expected.size()) {
                problems.add(module.artifactId() + ": expected " + expected.size() + " signatures, found "
                        + ascFiles);
            }
            checkMetadata(module, pomFile, rootPom);
        }

        checkCentralExclusions(rootPom, modules);
        Module bom = modules.stream().filter(m -> m.artifactId().endsWith("-bom")).findFirst().orElse(null);
        if (bom == null) {
            problems.add("no BOM module (an artifactId ending in -bom) among the root POM's modules");
        } else {
            checkBom(bom, version, publishedJars);
        }
        if (problems.isEmpty()) {
            System.out.println("release check: " + signatures + " signatures verified; published: "
                    + modules.stream().filter(Module::published).map(Module::artifactId).toList()
                    + "; not published, not signed: "
                    + modules.stream().filter(m -> !m.published()).map(Module::artifactId).toList());
        }
    }

    private static Module module(Path dir, Document pom) {
        Element project = pom.getDocumentElement();
        String packaging = text(project, "packaging");
        Element properties = child(project, "properties");
        boolean skip = properties != null && "true".equals(text(properties, "securecomm.skipPublishing"));
        return new Module(dir, text(project, "artifactId"), packaging == null ? "jar" : packaging, !skip, pom);
    }

    private static Path signatureOf(Module module, String fileName) {
        for (String folder : List.of("target/gpg", "target")) {
            Path candidate = module.dir().resolve(folder).resolve(fileName + ".asc");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Path> ascFiles(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(target, 2)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".asc")).sorted().toList();
        }
    }

    private void verify(JcaPGPPublicKeyRingCollection keys, Path data, Path signatureFile) throws Exception {
        byte[] content = Files.readAllBytes(data);
        PGPSignature signature;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(signatureFile))) {
            Object object = new JcaPGPObjectFactory(in).nextObject();
            if (!(object instanceof PGPSignatureList list) || list.isEmpty()) {
                problems.add(signatureFile + " holds no OpenPGP signature");
                return;
            }
            signature = list.get(0);
        }
        PGPPublicKey key = keys.getPublicKey(signature.getKeyID());
        if (key == null) {
            problems.add(String.format("%s was made by key %016X, not the throwaway key", signatureFile,
                    signature.getKeyID()));
            return;
        }
        if (!verifies(signature, key, content)) {
            problems.add(signatureFile + " does not verify " + data);
            return;
        }
        // The same check must reject a changed file, or it proves nothing.
        byte[] changed = content.clone();
        changed[changed.length / 2] ^= 1;
        if (verifies(signature, key, changed)) {
            problems.add(signatureFile + " also verifies a changed " + data + ": the check is broken");
        }
    }

    private static boolean verifies(PGPSignature signature, PGPPublicKey key, byte[] content) throws Exception {
        signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BouncyCastleProvider.PROVIDER_NAME),
                key);
        signature.update(content);
        return signature.verify();
    }

    private void checkMetadata(Module module, Path pomFile, Document rootPom) throws Exception {
        Element project = parse(pomFile).getDocumentElement();
        Element parent = child(project, "parent");
        boolean inheritsFromRoot = parent != null
                && text(rootPom.getDocumentElement(), "artifactId").equals(text(parent, "artifactId"));
        if (parent != null && !inheritsFromRoot) {
            problems.add(module.artifactId() + ": its parent " + text(parent, "artifactId") + " is not published");
        }
        for (String element : REQUIRED_METADATA) {
            boolean own = child(project, element) != null;
            // Central resolves what a POM inherits from its (published) parent, except name, description and url,
            // which every published POM states for itself here.
            boolean inherited = inheritsFromRoot && !List.of("name", "description", "url").contains(element)
                    && child(rootPom.getDocumentElement(), element) != null;
            if (!own && !inherited) {
                problems.add(module.artifactId() + ": the published POM " + pomFile + " has no <" + element + ">");
            }
        }
    }

    /** The Central Portal plugin leaves out exactly the modules that are not published. */
    private void checkCentralExclusions(Document rootPom, List<Module> modules) {
        Set<String> excluded = new TreeSet<>();
        for (Element profile : children(child(rootPom.getDocumentElement(), "profiles"), "profile")) {
            if (!"release".equals(text(profile, "id"))) {
                continue;
            }
            for (Element plugin : children(child(child(profile, "build"), "plugins"), "plugin")) {
                if ("central-publishing-maven-plugin".equals(text(plugin, "artifactId"))) {
                    for (Element artifact : children(child(child(plugin, "configuration"), "excludeArtifacts"),
                            "artifact")) {
                        excluded.add(artifact.getTextContent().strip());
                    }
                }
            }
        }
        Set<String> unpublished = new TreeSet<>();
        modules.stream().filter(m -> !m.published()).forEach(m -> unpublished.add(m.artifactId()));
        if (!excluded.equals(unpublished)) {
            problems.add("the release profile's central-publishing-maven-plugin excludes " + excluded
                    + " but the modules with securecomm.skipPublishing=true are " + unpublished + " (pom.xml)");
        }
    }

    private void checkBom(Module bom, String version, Set<String> publishedJars) throws Exception {
        Path consumerPom = bom.dir().resolve("target/.flattened-pom.xml");
        if (!Files.isRegularFile(consumerPom)) {
            problems.add("the BOM has no consumer POM " + consumerPom);
            return;
        }
        Element project = parse(consumerPom).getDocumentElement();
        if (child(project, "parent") != null) {
            problems.add("the BOM's consumer POM has a parent: users importing it would inherit the build's"
                    + " dependencyManagement");
        }
        Set<String> listed = new TreeSet<>();
        Element management = child(project, "dependencyManagement");
        for (Element dependency : children(management == null ? null : child(management, "dependencies"),
                "dependency")) {
            String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
            if (!"io.securecomm".equals(text(dependency, "groupId"))) {
                problems.add("the BOM manages a third-party artifact " + coordinates);
            }
            if (!version.equals(text(dependency, "version"))) {
                problems.add("the BOM gives " + coordinates + " version " + text(dependency, "version")
                        + ", not the project's " + version);
            }
            listed.add(text(dependency, "artifactId"));
        }
        if (!listed.equals(publishedJars)) {
            problems.add("the BOM lists " + listed + " but the published jar modules are " + publishedJars
                    + " (securecomm-bom/pom.xml)");
        }
    }

    // ---------------------------------------------------------------------------------------- XML helpers

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent != null) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    result.add(element);
                }
            }
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }
}
