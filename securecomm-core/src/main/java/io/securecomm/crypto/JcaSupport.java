package io.securecomm.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;

/** Obtains JCA objects whose algorithms every JDK 17 must provide, turning their absence into an error. */
final class JcaSupport {
    private static final SecureRandom RANDOM = new SecureRandom();

    private JcaSupport() {}

    static SecureRandom random() {
        return RANDOM;
    }

    static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw missing(transformation, e);
        }
    }

    static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw missing(algorithm, e);
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw missing(algorithm, e);
        }
    }

    static KeyAgreement keyAgreement(String algorithm) {
        try {
            return KeyAgreement.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw missing(algorithm, e);
        }
    }

    static KeyFactory keyFactory(String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw missing(algorithm, e);
        }
    }

    static KeyPairGenerator keyPairGenerator(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw missing(algorithm, e);
        }
    }

    private static IllegalStateException missing(String algorithm, Exception e) {
        return new IllegalStateException("the JDK lacks " + algorithm + ", which every Java 17 runtime provides", e);
    }
}
