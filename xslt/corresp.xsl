<?xml version="1.0" encoding="UTF-8"?>
<!-- Correspondence description (TEI ch. 2.4.6): who sent a document to whom, from where, where to. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:function name="f:correspondents" as="element()*">
    <xsl:param name="header" as="element(teiHeader)"/>
    <xsl:param name="action" as="xs:string"/>
    <xsl:sequence select="$header/profileDesc/correspDesc/correspAction[@type = $action]
                          /(persName | orgName | rs[@type = ('person', 'org')])"/>
  </xsl:function>

  <!-- The normalised names (register names where the entry is known) for metadata and citations. -->
  <xsl:function name="f:normalised-name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="id" select="substring(tokenize($name/@ref)[1], 2)"/>
    <xsl:sequence select="string((f:entry($id)/@name[. != ''], normalize-space($name))[1])"/>
  </xsl:function>

  <xsl:template name="p:metadata-row">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="names" as="element()*"/>
    <xsl:if test="$names">
      <div>
        <dt>{$label}</dt>
        <dd>
          <xsl:for-each select="$names">
            <xsl:if test="position() gt 1">; </xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
        </dd>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="correspDesc" mode="metadata">
    <xsl:call-template name="p:metadata-row">
      <xsl:with-param name="label" select="'Sender'"/>
      <xsl:with-param name="names" select="f:correspondents(ancestor::teiHeader, 'sent')"/>
    </xsl:call-template>
    <xsl:call-template name="p:metadata-row">
      <xsl:with-param name="label" select="'Recipient'"/>
      <xsl:with-param name="names" select="f:correspondents(ancestor::teiHeader, 'received')"/>
    </xsl:call-template>
    <xsl:call-template name="p:metadata-row">
      <xsl:with-param name="label" select="'Sent from'"/>
      <xsl:with-param name="names" select="correspAction[@type = 'sent']/placeName"/>
    </xsl:call-template>
    <xsl:call-template name="p:metadata-row">
      <xsl:with-param name="label" select="'Sent to'"/>
      <xsl:with-param name="names" select="correspAction[@type = 'received']/placeName"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
